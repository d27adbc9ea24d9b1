// The core's JavaScript interface in Node: the cost of one `track` of a five-member page view, as
// the widget makes it (JSON text read back by JSON.parse, then scored). Median of 7 runs of 50,000
// calls in one process. usage: node scripts/bench/track-node.mjs   (WASM_DIR: build/wasm/wasm)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createMqlscoreCore from '../../wasm/mqlscore-core.mjs';

const core = await createMqlscoreCore({ wasmBinary: readFileSync(join(process.env.WASM_DIR || 'build/wasm/wasm', 'mqlscore-core.wasm')) });
const rules = new core.Rules(readFileSync('examples/b2b-saas.rules.json', 'utf8'));
const visitor = new core.Visitor(rules, 'v-1');
const calls = 50000;
const runs = [];
for (let run = 0; run < 7; run++) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const text = JSON.stringify({ type: 'page_view', ts: 1767225600000 + (run * calls + i) * 1000,
      url: 'https://www.acme.com/blog/post?utm_source=news', title: 'Hello', referrer: 'https://google.com/' });
    visitor.track(JSON.parse(text));
  }
  runs.push(((performance.now() - start) * 1000) / calls);
}
runs.sort((a, b) => a - b);
console.log(`track in Node: median ${runs[3].toFixed(1)} µs per event (runs ${runs.map((r) => r.toFixed(1)).join(', ')})`);
