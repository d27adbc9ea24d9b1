// The core's WebAssembly interface as JavaScript sees it (wasm/mqlscore-core.mjs over
// build/wasm/wasm/mqlscore-core.wasm): results and failures as values, UTF-8 both ways, memory
// growth, loading from a URL whatever the server's Content-Type, and the module's exit (out of
// memory) as an error.
// usage: node --test tests/wasm_core_test.mjs   (WASM_DIR defaults to build/wasm/wasm)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createMqlscoreCore from '../wasm/mqlscore-core.mjs';
import { packJson } from '../wasm/packed-json.mjs';

const wasmBinary = readFileSync(join(process.env.WASM_DIR || 'build/wasm/wasm', 'mqlscore-core.wasm'));
const rulesText = readFileSync('examples/b2b-saas.rules.json', 'utf8');
const core = await createMqlscoreCore({ wasmBinary });

test('a valid rules file scores events and reports stage changes', () => {
  const rules = new core.Rules(rulesText);
  assert.equal(rules.ok(), true);
  assert.equal(rules.problems(), '[]');
  assert.match(rules.hash(), /^[0-9a-f]{16}$/);
  const visitor = new core.Visitor(rules, 'v-1');
  const outcome = JSON.parse(visitor.track('{"type":"page_view","ts":1767225600000,"url":"https://x.com/pricing"}'));
  assert.equal(outcome.ok, true);
  assert.deepEqual(Object.keys(JSON.parse(visitor.scores(1767225600000))), ['engagement', 'fit', 'score', 'stage', 'reasons']);
  visitor.delete();
  rules.delete();
});

test('problems and failures come back as values, never as exceptions', () => {
  const bad = new core.Rules('{"version":2,"stages":[{"name":"v"}],"rules":[]}');
  assert.equal(bad.ok(), false);
  assert.deepEqual(JSON.parse(bad.problems()), ['/version: must be 1 (this is rules format v1)']);
  const unusable = new core.Visitor(bad, 'v');
  assert.deepEqual(JSON.parse(unusable.track('{"type":"x","ts":1}')),
    { ok: false, error: 'the rules file has problems (see Rules.problems())' });
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  assert.deepEqual(JSON.parse(visitor.track('{"type":')), { ok: false, error: 'Unexpected end of JSON input' });
  assert.equal(JSON.parse(visitor.restore('not a snapshot')).ok, false);
  assert.equal(JSON.parse(new core.Rules('').problems()).length, 1);
});

test('text crosses the boundary as UTF-8 both ways', () => {
  const rules = new core.Rules('{"version":1,"stages":[{"name":"mql","score":1},{"name":"visitor"}],'
    + '"rules":[{"id":"prestamo","on":"page_view","if":{"title":"Préstamo 😀"},"points":2}]}');
  assert.equal(rules.ok(), true, rules.problems());
  const visitor = new core.Visitor(rules, 'visiteur-é-😀');
  const outcome = JSON.parse(visitor.track('{"type":"page_view","ts":1,"title":"Préstamo 😀"}'));
  assert.equal(outcome.signals[0].to, 'mql');
  assert.deepEqual(JSON.parse(visitor.scores(1)).reasons, [{ rule: 'prestamo', points: 2 }]);
  assert.match(visitor.result(1), /"visitor":"visiteur-é-😀"/);
});

test('JSON is read by JSON.parse, and the core\'s limits and messages still apply', () => {
  const syntaxError = (text) => { try { JSON.parse(text); } catch (error) { return error.message; } };
  const problems = (text) => JSON.parse(new core.Rules(text).problems());
  assert.deepEqual(problems(`\ufeff${rulesText}`), []);
  assert.deepEqual(problems('{"version":1,'), [`the rules file is not valid JSON: ${syntaxError('{"version":1,')}`]);
  assert.deepEqual(problems('{"version":1e400}'), ['the rules file is not valid JSON: a number is too large (beyond 1.8e308)']);
  assert.deepEqual(problems('['.repeat(300) + ']'.repeat(300)), ['the rules file nests deeper than 256 levels']);
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  const deep = `{"type":"page_view","ts":1,"props":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  assert.deepEqual(JSON.parse(visitor.track(deep)), { ok: false, error: 'JSON nests deeper than 64 levels' });
  assert.deepEqual(JSON.parse(visitor.restore('{"format":')), { ok: false, error: `not a valid visitor snapshot: ${syntaxError('{"format":')}` });
});

test('JSON is packed in the format core/packed_json.h documents', () => {
  const count = (n) => [n & 0x7f | 0x80, (n >>> 7) & 0x7f | 0x80, (n >>> 14) & 0x7f | 0x80, (n >>> 21) & 0x7f | 0x80, n >>> 28];
  const text = (s) => { const bytes = [...new TextEncoder().encode(s)]; return [...count(bytes.length), ...bytes]; };
  const number = (d) => { const view = new DataView(new ArrayBuffer(8)); view.setFloat64(0, d, true); return [...new Uint8Array(view.buffer)]; };
  assert.deepEqual([...packJson('\ufeff{"a":[true,false,null,1.5,"é"]}')],
    [6, ...count(1), ...text('a'), 5, ...count(5), 2, 1, 0, 3, ...number(1.5), 4, ...text('é')]);
  assert.deepEqual([...packJson('[1e400]')], [7, ...text('a number is too large (beyond 1.8e308)')]);
  assert.equal(packJson('{').at(0), 7);
  const deep = packJson('['.repeat(1001) + ']'.repeat(1001));
  assert.deepEqual([...deep.subarray(deep.length - 7)], [5, ...count(1), 8]);
});

test('strings of every length and script cross intact', () => {
  const titles = [];
  for (const length of [0, 1, 42, 43, 63, 64, 127, 128, 5461, 5462, 20000]) {
    titles.push('é😀a'.repeat(length).slice(0, length), 'a'.repeat(length), `${'b'.repeat(length)}é`);
  }
  for (const title of titles) {
    const rules = new core.Rules(JSON.stringify({ version: 1, stages: [{ name: 'mql', score: 1 }, { name: 'visitor' }],
      rules: [{ id: 'title', on: 'page_view', if: { title }, points: 2 }] }));
    assert.equal(rules.ok(), true, rules.problems());
    const visitor = new core.Visitor(rules, 'v');
    assert.equal(JSON.parse(visitor.track(JSON.stringify({ type: 'page_view', ts: 1, title }))).signals.length, 1, title);
  }
});

test('numbers the core writes are JavaScript\'s own text of them', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  const traits = { small: 1e-7, large: 1e21, sum: 0.1 + 0.2, whole: -20, tiny: 5e-324 };
  assert.equal(JSON.parse(visitor.track(JSON.stringify({ type: 'identify', ts: 1, traits }))).ok, true);
  assert.match(visitor.snapshot(), /"traits":\{"small":1e-7,"large":1e\+21,"sum":0.30000000000000004,"whole":-20,"tiny":5e-324\}/);
});

test('memory grows for large inputs and the module keeps working', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'big');
  const title = 'x'.repeat(8 * 1024 * 1024);
  const outcome = JSON.parse(visitor.track(`{"type":"page_view","ts":1,"title":"${title}"}`));
  assert.equal(outcome.ok, true);
  assert.equal(JSON.parse(visitor.track('{"type":"page_view","ts":2}')).ok, true);
  const snapshot = visitor.snapshot();
  const copy = new core.Visitor(rules, 'big');
  assert.deepEqual(JSON.parse(copy.restore(snapshot)), { ok: true });
  assert.equal(copy.snapshot(), snapshot);
});

test('loads from a URL with or without the application/wasm type, and reports HTTP errors', async (t) => {
  const realFetch = globalThis.fetch;
  t.after(() => { globalThis.fetch = realFetch; });
  for (const type of ['application/wasm', 'application/octet-stream', null]) {
    globalThis.fetch = async () => new Response(wasmBinary, { headers: type ? { 'Content-Type': type } : {} });
    const loaded = await createMqlscoreCore({ wasmUrl: 'https://cdn.example/mqlscore-core.wasm' });
    assert.equal(new loaded.Rules(rulesText).ok(), true, `Content-Type ${type}`);
  }
  globalThis.fetch = async () => new Response('not found', { status: 404 });
  await assert.rejects(createMqlscoreCore({ wasmUrl: 'https://cdn.example/x.wasm' }),
    { message: 'https://cdn.example/x.wasm answered HTTP 404' });
});

test('a module that exits (out of memory, say) becomes a rejected promise with a clear message', async () => {
  // The smallest module that exits the way the core's abort() does: proc_exit(1) from _initialize.
  //   (module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  //           (memory (export "memory") 1)
  //           (func (export "_initialize") (call $exit (i32.const 1))))
  const exiting = Buffer.from('0061736d0100000001080260017f0060000002240116776173695f736e617073686f745f70726576696577'
    + '310970726f635f657869740000030201010503010001071802066d656d6f727902000b5f696e697469616c697a6500010a08010600'
    + '410110000b', 'hex');
  await assert.rejects(createMqlscoreCore({ wasmBinary: exiting }),
    { message: 'the scoring core aborted (out of memory?)' });
});

test('the module imports only what wasm/mqlscore-core.mjs provides', () => {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasmBinary)).map((i) => `${i.module}.${i.name}`);
  assert.deepEqual(imports.sort(), ['env.mqlscore_number_text', 'wasi_snapshot_preview1.proc_exit']);
});

test('the module exports what wasm/mqlscore-core.mjs calls, and nothing else', () => {
  const glue = readFileSync(new URL('../wasm/mqlscore-core.mjs', import.meta.url), 'utf8');
  const called = new Set([...glue.matchAll(/\bw\.(\w+)/g)].map((match) => match[1]));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasmBinary)).map((e) => e.name);
  assert.deepEqual(exports.sort(), [...called].sort());
});

test('the module\'s allocator keeps live blocks apart, reuses freed ones and refuses the impossible', () => {
  const { exports: w } = new WebAssembly.Instance(new WebAssembly.Module(wasmBinary), {
    env: { mqlscore_number_text: () => 0 },
    wasi_snapshot_preview1: { proc_exit() { throw new Error('exit'); } },
  });
  w._initialize();
  let seed = 7;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const live = new Map();  // pointer -> [size, fill byte]
  const allocate = (size) => {
    const pointer = w.mqlscore_alloc(size);
    assert.ok(pointer > 0 && pointer % 8 === 0, `an 8-aligned block for ${size} bytes`);
    const fill = random(256);
    new Uint8Array(w.memory.buffer, pointer, size).fill(fill);
    live.set(pointer, [size, fill]);
  };
  const release = (pointer) => { w.mqlscore_free(pointer); live.delete(pointer); };
  const sizes = Array.from({ length: 3000 }, () => 1 + random(random(2) ? 100 : 70000));
  const releaseSome = (share) => { for (const pointer of [...live.keys()]) if (random(100) < share) release(pointer); };
  for (let round = 0; round < 5; round++) {
    for (const size of sizes) allocate(size);
    releaseSome(50);
    for (const [pointer, [size, fill]] of live) {
      assert.ok(new Uint8Array(w.memory.buffer, pointer, size).every((b) => b === fill), 'no block overwrote another');
    }
  }
  releaseSome(100);
  let grownTo = 0;
  for (let round = 0; round < 10; round++) {
    for (const size of sizes) allocate(size);
    releaseSome(100);
    if (round === 0) grownTo = w.memory.buffer.byteLength;
  }
  assert.equal(w.memory.buffer.byteLength, grownTo, 'the same allocations again take no more memory');
  assert.equal(w.mqlscore_alloc(2 ** 31), 0);
});
