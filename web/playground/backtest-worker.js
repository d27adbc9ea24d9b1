// The playground's backtest, off the page's main thread: the workbench module (wasm/workbench.cc)
// runs `mqlscore backtest`'s own code over a sample history, with papaparse reading its outcomes;
// and `mqlscore validate`'s warnings for the rules being edited.
import Papa from 'papaparse';
import createWorkbenchModule from '../../build/wasm/wasm/mqlscore-workbench.mjs';

const SAMPLES = {
  examples: ['sample.events.jsonl', 'sample.outcomes.csv'],
  large: ['large.events.jsonl', 'large.outcomes.csv'],
};
const moduleReady = createWorkbenchModule({ locateFile: (file) => new URL(file, self.location.href).href });
const loaded = new Map();  // sample -> promise of [events, outcome records]

function load(sample) {
  if (!loaded.has(sample)) {
    loaded.set(sample, Promise.all(SAMPLES[sample].map((file) => fetch(file).then((r) => {
      if (!r.ok) throw new Error(`${file} answered HTTP ${r.status}`);
      return r.text();
    }))).then(([events, csv]) => [events, Papa.parse(csv, { skipEmptyLines: true }).data]));
  }
  return loaded.get(sample);
}

self.addEventListener('message', async ({ data }) => {
  if (data.lint !== undefined) {
    const module = await moduleReady;
    self.postMessage({ run: data.run, warnings: module.lint(data.lint) });
    return;
  }
  try {
    if (!SAMPLES[data.sample]) throw new Error(`no sample history "${data.sample}"`);
    const [module, [events, records]] = await Promise.all([moduleReady, load(data.sample)]);
    const answer = module.backtest(data.rules, events, records, ['sql', 'won']);
    self.postMessage({ run: data.run, ...answer });
  } catch (error) {
    self.postMessage({ run: data.run, ok: false, error: String(error && error.message ? error.message : error) });
  }
});
