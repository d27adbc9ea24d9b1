// The leads API at scale (issue 18's budget: a filtered page of 100,000 leads in under 100 ms).
//   node scripts/bench/leads.mjs fill BASE_URL LEADS   fills a running collector with LEADS
//     verified MQLs (made with the WebAssembly core: people of 400 companies, some on gmail, 1 in
//     4 anonymous)
//   node scripts/bench/leads.mjs time BASE_URL         times pages of GET /v1/leads with the
//     dashboard's filters, 21 times each, and prints the medians
import { readFileSync } from 'node:fs';
import createMqlscoreCore from '../../wasm/mqlscore-core.mjs';
import { mqlEvidence } from '../../tests/fixtures/mql-evidence.mjs';

const [mode, base, count] = [process.argv[2], process.argv[3], Number(process.argv[4] || 100000)];
const day = 86400000;

async function fill() {
  const core = await createMqlscoreCore({ wasmBinary: readFileSync('build/wasm/wasm/mqlscore-core.wasm') });
  const rules = new core.Rules(readFileSync('examples/b2b-saas.rules.json', 'utf8'));
  const hash = rules.hash();
  const started = Date.now();
  let batch = [];
  const flush = async () => {
    const answer = await fetch(`${base}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'bench', signals: batch }) });
    if (!answer.ok) throw new Error(`batch refused: ${answer.status} ${await answer.text()}`);
    batch = [];
  };
  for (let i = 0; i < count; i++) {
    const company = `Company ${i % 400}`;
    const traits = i % 4 === 3 ? {} : { email: i % 7 === 0 ? `person${i}@gmail.com` : `person${i}@company${i % 400}.com`,
      name: `Person ${i}`, company };
    // Spread over the last 60 days, so that time filters and decay have something to do.
    const t0 = Date.now() - (i % 60) * day - 3600000;
    const evidence = mqlEvidence.map((e, k) => ({ ...e, ts: t0 + k * 1000, ...(e.type === 'identify' ? { traits: { ...e.traits, ...traits } } : {}) }));
    const visitor = new core.Visitor(rules, `v${i}`);
    let signal = null;
    for (const event of evidence) {
      const outcome = visitor.track(event);
      if (outcome.signals.length) signal = outcome.signals.at(-1);
    }
    visitor.delete();
    batch.push({ ...signal, id: `s${i}`, rules_hash: hash, evidence, evidence_complete: true });
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  console.log(`stored ${count} leads in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function time() {
  const queries = ['', 'stage=mql', 'status=new&sort=score', 'q=company12', 'account=company6.com',
    `since=${Date.now() - 7 * day}&sort=name&order=asc`, 'verdict=verified&offset=5000', 'sort=engagement&order=asc'];
  for (const query of queries) {
    const times = [];
    let total = 0;
    for (let k = 0; k < 21; k++) {
      const t = performance.now();
      const answer = await fetch(`${base}/v1/leads?limit=50&${query}`);
      await answer.json();
      times.push(performance.now() - t);
      total = answer.headers.get('x-total-count');
    }
    times.sort((a, b) => a - b);
    console.log(`GET /v1/leads?limit=50&${query.padEnd(44)} ${times[10].toFixed(1).padStart(6)} ms median (${total} match)`);
  }
}

if (mode === 'fill') await fill();
else if (mode === 'time') await time();
else throw new Error('usage: node scripts/bench/leads.mjs fill BASE_URL LEADS | time BASE_URL');
