// Writes a wrk Lua script that POSTs batches of 10 honest signals (with evidence) under fresh ids,
// made with the WebAssembly core and the example rules. usage: node collector-batch.mjs OUT.lua
import { readFileSync, writeFileSync } from 'node:fs';
import createMqlscoreCore from '../../wasm/mqlscore-core.mjs';
import { mqlEvidence } from '../../tests/fixtures/mql-evidence.mjs';

const core = await createMqlscoreCore({ wasmBinary: readFileSync('build/wasm/wasm/mqlscore-core.wasm') });
const rules = new core.Rules(readFileSync('examples/b2b-saas.rules.json', 'utf8'));
const evidence = mqlEvidence;
const visitor = new core.Visitor(rules, 'VISITOR');
let signal = null;
for (const event of evidence) {
  const outcome = visitor.track(event);
  if (outcome.signals.length) signal = outcome.signals.at(-1);
}
const template = JSON.stringify({ ...signal, id: 'ID', rules_hash: rules.hash(), evidence, evidence_complete: true });
// wrk's Lua: each request gets ten signals with ids and visitors unique to its thread (numbered
// by setup(); math.random gives every thread the same numbers) and counter.
writeFileSync(process.argv[2], `
local template = ${JSON.stringify(template)}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", tostring(threads))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local signals = {}
  for i = 1, 10 do
    counter = counter + 1
    local id = "b" .. thread_id .. "-" .. counter
    local s = template:gsub('"ID"', '"' .. id .. '"', 1):gsub('"VISITOR"', '"v' .. id .. '"', 1)
    signals[i] = s
  end
  return wrk.format(nil, "/v1/signals", nil, '{"site":"bench","signals":[' .. table.concat(signals, ",") .. ']}')
end
`);
