// The core's WebAssembly interface as JavaScript sees it (wasm/mqlscore-core.mjs over the Embind
// build in build/wasm/wasm): plain values in and out, failures as values, UTF-8 both ways, the
// core's limits, memory growth, and loading from a URL whatever the server's Content-Type.
// usage: node --test tests/wasm_core_test.mjs   (WASM_DIR defaults to build/wasm/wasm)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createMqlscoreCore, { readJson } from '../wasm/mqlscore-core.mjs';

const wasmBinary = readFileSync(join(process.env.WASM_DIR || 'build/wasm/wasm', 'mqlscore-core.wasm'));
const rulesText = readFileSync('examples/b2b-saas.rules.json', 'utf8');
const core = await createMqlscoreCore({ wasmBinary });

test('a valid rules file scores events and reports stage changes', () => {
  const rules = new core.Rules(rulesText);
  assert.equal(rules.ok(), true);
  assert.deepEqual(rules.problems(), []);
  assert.match(rules.hash(), /^[0-9a-f]{16}$/);
  const visitor = new core.Visitor(rules, 'v-1');
  const outcome = visitor.track({ type: 'page_view', ts: 1767225600000, url: 'https://x.com/pricing' });
  assert.deepEqual(outcome, { ok: true, signals: [] });
  assert.deepEqual(Object.keys(visitor.scores(1767225600000)), ['engagement', 'fit', 'score', 'stage', 'reasons']);
  visitor.delete();
  rules.delete();
});

test('problems and failures come back as values, never as exceptions', () => {
  const bad = new core.Rules('{"version":2,"stages":[{"name":"v"}],"rules":[]}');
  assert.equal(bad.ok(), false);
  assert.deepEqual(bad.problems(), ['/version: must be 1 (this is rules format v1)']);
  const unusable = new core.Visitor(bad, 'v');
  assert.deepEqual(unusable.track({ type: 'x', ts: 1 }), { ok: false, error: 'the rules file has problems (see Rules.problems())' });
  assert.deepEqual(unusable.scores(1), { ok: false, error: 'the rules file has problems (see Rules.problems())' });
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  assert.deepEqual(visitor.track({ ts: 1 }), { ok: false, error: 'type is required' });
  assert.deepEqual(visitor.track('[1]'), { ok: false, error: 'an event must be a JSON object' });
  assert.deepEqual(visitor.track('{"type":'), { ok: false, error: (() => { try { JSON.parse('{"type":'); } catch (e) { return e.message; } })() });
  assert.deepEqual(visitor.track({ type: 'x', ts: Infinity }), { ok: false, error: 'a number is too large (beyond 1.8e308)' });
  assert.equal(visitor.restore('not a snapshot').ok, false);
  assert.deepEqual(visitor.restore({ format: 'other' }), { ok: false, error: 'not a valid visitor snapshot: format must be "mqlscore-visitor"' });
  assert.equal(new core.Rules('').problems().length, 1);
  assert.deepEqual(new core.Rules(42).problems(), ['the rules file must be given as text']);
});

test('text crosses the boundary as UTF-8 both ways', () => {
  const rules = new core.Rules('{"version":1,"stages":[{"name":"mql","score":1},{"name":"visitor"}],'
    + '"rules":[{"id":"prestamo","on":"page_view","if":{"title":"Préstamo 😀"},"points":2}]}');
  assert.equal(rules.ok(), true, rules.problems().join());
  const visitor = new core.Visitor(rules, 'visiteur-é-😀');
  const outcome = visitor.track({ type: 'page_view', ts: 1, title: 'Préstamo 😀' });
  assert.equal(outcome.signals[0].to, 'mql');
  assert.equal(outcome.signals[0].visitor, 'visiteur-é-😀');
  assert.deepEqual(visitor.scores(1).reasons, [{ rule: 'prestamo', points: 2 }]);
});

test('JSON is read by JSON.parse, and the core\'s limits and messages still apply', () => {
  const syntaxError = (text) => { try { JSON.parse(text); } catch (error) { return error.message; } };
  const problems = (text) => new core.Rules(text).problems();
  assert.deepEqual(problems(`\ufeff${rulesText}`), []);
  assert.deepEqual(problems('{"version":1,'), [`the rules file is not valid JSON: ${syntaxError('{"version":1,')}`]);
  assert.deepEqual(problems('{"version":1e400}'), ['the rules file is not valid JSON: a number is too large (beyond 1.8e308)']);
  assert.deepEqual(problems('['.repeat(300) + ']'.repeat(300)), ['the rules file nests deeper than 256 levels']);
  assert.deepEqual(problems('{"version":1,"x-note":"\\ud800"}'),
    ['the rules file is not valid JSON: a string holds half of a UTF-16 surrogate pair (\\ud800-\\udfff alone)']);
  assert.equal(problems('{"version":"\\\\ud800"}')[0], '/version: must be 1 (this is rules format v1)');
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  let deep = [];
  for (let i = 0; i < 5000; i++) deep = [deep];
  assert.deepEqual(visitor.track({ type: 'page_view', ts: 1, props: deep }), { ok: false, error: 'JSON nests deeper than 64 levels' });
  const cycle = { type: 'page_view', ts: 1 };
  cycle.props = cycle;
  assert.deepEqual(visitor.track(cycle), { ok: false, error: 'JSON nests deeper than 64 levels' });
  assert.deepEqual(readJson('{"format":'), { error: syntaxError('{"format":') });
});

test('plain values go in as JSON.stringify would write them', () => {
  const rules = new core.Rules('{"version":1,"stages":[{"name":"mql","score":3},{"name":"visitor"}],'
    + '"rules":[{"id":"a","on":"page_view","if":{"props.plan":"pro"},"points":2},'
    + '{"id":"b","on":"page_view","if":{"props.gone":{"exists":false}},"points":1}]}');
  const visitor = new core.Visitor(rules, 'v');
  const outcome = visitor.track({ type: 'page_view', ts: 1, props: { plan: 'pro', gone: undefined, f() {} } });
  assert.equal(outcome.signals[0].to, 'mql');
  assert.deepEqual(visitor.scores(1).reasons, [{ rule: 'a', points: 2 }, { rule: 'b', points: 1 }]);
});

test('strings of every length and script cross intact', () => {
  const titles = [];
  for (const length of [0, 1, 42, 43, 63, 64, 127, 128, 5461, 5462, 20000]) {
    titles.push('é😀a'.repeat(length).slice(0, length), 'a'.repeat(length), `${'b'.repeat(length)}é`);
  }
  for (const title of titles.filter((t) => readJson(JSON.stringify(t)).value !== undefined && !/[\uD800-\uDFFF]$/.test(t))) {
    const rules = new core.Rules(JSON.stringify({ version: 1, stages: [{ name: 'mql', score: 1 }, { name: 'visitor' }],
      rules: [{ id: 'title', on: 'page_view', if: { title }, points: 2 }] }));
    assert.equal(rules.ok(), true, rules.problems().join());
    const visitor = new core.Visitor(rules, 'v');
    assert.equal(visitor.track({ type: 'page_view', ts: 1, title }).signals.length, 1, title);
  }
});

test('numbers come out as the same doubles, so JSON.stringify writes JavaScript\'s own text', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  const traits = { small: 1e-7, large: 1e21, sum: 0.1 + 0.2, whole: -20, tiny: 5e-324 };
  assert.equal(visitor.track({ type: 'identify', ts: 1, traits }).ok, true);
  assert.match(JSON.stringify(visitor.snapshot()), /"traits":\{"small":1e-7,"large":1e\+21,"sum":0.30000000000000004,"whole":-20,"tiny":5e-324\}/);
});

test('events and snapshots may also come as JSON text', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  assert.equal(visitor.track('{"type":"page_view","ts":1767225600000,"url":"https://x.com/pricing"}').ok, true);
  const text = JSON.stringify(visitor.snapshot());
  const copy = new core.Visitor(rules, 'v');
  assert.deepEqual(copy.restore(text), { ok: true });
  assert.deepEqual(copy.snapshot(), visitor.snapshot());
  assert.match(copy.restore('{"format":').error, /^not a valid visitor snapshot: /);
});

test('memory grows for large inputs and the module keeps working', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'big');
  const title = 'x'.repeat(8 * 1024 * 1024);
  assert.equal(visitor.track({ type: 'page_view', ts: 1, title }).ok, true);
  assert.equal(visitor.track({ type: 'page_view', ts: 2 }).ok, true);
  const snapshot = visitor.snapshot();
  const copy = new core.Visitor(rules, 'big');
  assert.deepEqual(copy.restore(snapshot), { ok: true });
  assert.deepEqual(copy.snapshot(), snapshot);
});

test('a visitor keeps its rules alive after rules.delete()', () => {
  const rules = new core.Rules(rulesText);
  const visitor = new core.Visitor(rules, 'v');
  rules.delete();
  assert.equal(visitor.track({ type: 'page_view', ts: 1, url: 'https://x.com/pricing' }).ok, true);
  assert.equal(visitor.scores(1).engagement > 0, true);
  visitor.delete();
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

test('a file that is not the module becomes a rejected promise', async () => {
  await assert.rejects(createMqlscoreCore({ wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1]) }), WebAssembly.CompileError);
});
