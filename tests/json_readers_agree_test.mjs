// The two ways the core reads JSON agree: nlohmann/json natively (core/json_reader.h, through
// json_read_tool) and the browser's JSON.parse handed over by Embind (wasm/bindings.cc), on a
// corpus of tricky texts: both accept the same texts and read them to the same values. Object
// members may come in another order (JSON.parse lists integer-like keys first); values compare
// with their members sorted.
// usage: node --test tests/json_readers_agree_test.mjs   (env: JSON_READ_TOOL, WASM_DIR)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createMqlscoreCore, { readJson } from '../wasm/mqlscore-core.mjs';

const tool = process.env.JSON_READ_TOOL || 'build/native/tests/json_read_tool';
const core = await createMqlscoreCore({ wasmBinary: readFileSync(join(process.env.WASM_DIR || 'build/wasm/wasm', 'mqlscore-core.wasm')) });
const rules = new core.Rules('{"version":1,"stages":[{"name":"visitor"}],"rules":[]}');

const deep = (n, open = '[', close = ']') => open.repeat(n) + close.repeat(n);
const corpus = [
  // duplicate keys: the first one's place, the last one's value
  '{"a":1,"b":2,"a":3}', '{"a":{"x":1},"a":{"y":2}}', '{"":1,"":2}',
  // big, tiny and awkward numbers
  '1e400', '-1e400', '[1e308, 1.7976931348623157e308, 1.7976931348623159e308]', '[5e-324, 2.4703282292062327e-324, 1e-400, -1e-400]',
  '[9007199254740993, 18446744073709551615, 18446744073709551616, 123456789012345678901234567890]',
  '[-0, 0.0, -0.0, 1E2, 1e+2, 0.1, 0.30000000000000004, 123.456e-7]', '[01]', '[1.]', '[.5]', '[+1]', '[0x10]', '[NaN]', '[Infinity]',
  // escapes and surrogates
  '"\\u00e9\\ud83d\\ude00\\n\\t\\/\\b\\f\\r\\"\\\\"', '"\\u0000"', '"\\ud800"', '"\\udc00"', '"\\ud800x"', '"\\ud83d\\ud83d"', '"\\uDBFF\\uDFFF"',
  '"\\\\ud800"', '"\\x41"', '"\\u12"', '"tab\there"', '"é😀中文"', '{"\\u0061":1,"a":2}',
  // byte order mark and whitespace
  '\ufeff{"a":1}', '\ufeff\ufeff{}', ' \n\t\r[1] ', '[1]\ufeff', '\u00a0[1]',
  // nesting at and past the limit
  deep(61), deep(62), deep(5000), deep(61, '{"a":', '}').replace(/\{"a":\}/, '{}'),
  // not JSON
  '', ' ', '{', '[1,]', '{"a":1,}', "{'a':1}", '[1 2]', 'nul', 'true false', '[1] // note', '/* c */ 1', 'undefined',
  // ordinary values
  'null', 'true', '[false]', '"x"', '{"type":"page_view","ts":1767225600000,"props":{"plan":"pro","n":[1,2,{"k":null}]}}',
  '{"2":"b","1":"a","x":0}',
];

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
}

// The browser's reading: JSON.parse, then through Embind into the core (as an identify's trait,
// wrapped in an array so that null survives), and back out of a snapshot.
function browserRead(text) {
  const read = readJson(text);
  if (read.error) return { ok: false, error: read.error };
  const visitor = new core.Visitor(rules, 'v');
  const outcome = visitor.track({ type: 'identify', ts: 1, traits: { v: [read.value] } });
  const value = outcome.ok ? visitor.snapshot().traits.v[0] : undefined;
  visitor.delete();
  return outcome.ok ? { ok: true, value } : { ok: false, error: outcome.error };
}

test('the native reader and JSON.parse through Embind accept the same texts and read the same values', () => {
  // The event, its traits and the wrapping array take three of the 64 levels events may nest.
  const native = execFileSync(tool, ['61'], { input: corpus.map((t) => JSON.stringify(t)).join('\n') + '\n' })
    .toString().trimEnd().split('\n');
  assert.equal(native.length, corpus.length);
  let accepted = 0;
  corpus.forEach((text, i) => {
    const browser = browserRead(text);
    const nativeOk = native[i].startsWith('ok ');
    assert.equal(browser.ok, nativeOk, `${JSON.stringify(text).slice(0, 80)}: native ${native[i].slice(0, 120)}, browser ${browser.error}`);
    if (nativeOk) {
      accepted++;
      assert.equal(JSON.stringify(sorted(browser.value)), JSON.stringify(sorted(JSON.parse(native[i].slice(3)))), JSON.stringify(text).slice(0, 80));
    }
  });
  assert.ok(accepted >= 20, `${accepted} texts accepted`);
});
