import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutbox } from '../src/outbox.js';
import { createSafeStorage } from '../src/storage.js';
import { KEEPALIVE_BYTES, createTransport } from '../src/transport.js';

function memoryStorage() {
  const data = new Map();
  return createSafeStorage(() => ({ getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) }), () => {});
}

// Fake timers: run() fires due timers in order, advancing a fake clock.
function fakeTime() {
  let clock = 0;
  let next = 1;
  const timers = new Map();
  return {
    now: () => clock,
    setTimer: (fn, ms) => { const id = next++; timers.set(id, { at: clock + ms, fn }); return id; },
    clearTimer: (id) => timers.delete(id),
    async run(untilMs) {
      for (;;) {
        const due = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!due || due[1].at > untilMs) break;
        timers.delete(due[0]);
        clock = due[1].at;
        await due[1].fn();
        await new Promise((r) => setImmediate(r));
      }
      clock = Math.max(clock, untilMs);
    },
    get pending() { return timers.size; },
  };
}

function endpoint(answers) {
  const received = [];
  const fetch = async (url, init) => {
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer === 'network') throw new TypeError('Failed to fetch');
    received.push({ url, init, body: JSON.parse(init.body) });
    return { status: answer.status ?? answer, headers: { get: (h) => (answer.headers || {})[h] ?? null } };
  };
  return { fetch, received };
}

function setup(answers, options = {}) {
  const time = fakeTime();
  const outbox = createOutbox(memoryStorage());
  const server = endpoint(answers);
  const warnings = [];
  const transport = createTransport({ endpoint: 'https://collect.example.com/v1/signals', site: 'acme', outbox, fetch: server.fetch,
    now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer, random: () => 0.5, warn: (w) => warnings.push(w), ...options });
  return { time, outbox, server, transport, warnings };
}

test('a signal is posted as a batch with the site key and leaves the outbox once acknowledged', async () => {
  const { time, outbox, server, transport } = setup([200]);
  transport.enqueue({ id: 's1', to: 'mql' });
  await time.run(0);
  assert.equal(server.received.length, 1);
  assert.deepEqual(server.received[0].body, { site: 'acme', signals: [{ id: 's1', to: 'mql' }] });
  assert.equal(server.received[0].init.keepalive, true);
  assert.equal(server.received[0].init.headers['Content-Type'], 'text/plain;charset=UTF-8');
  assert.equal(outbox.size, 0);
});

test('while the endpoint is down signals wait with growing delays, then all arrive once', async () => {
  const { time, outbox, server, transport } = setup(['network', 503, 503, 200]);
  transport.enqueue({ id: 'a' });
  transport.enqueue({ id: 'b' });
  await time.run(0);
  assert.equal(outbox.size, 2);
  await time.run(60 * 60 * 1000);
  assert.equal(outbox.size, 0);
  const delivered = server.received.filter((r, i) => i === server.received.length - 1).flatMap((r) => r.body.signals.map((s) => s.id));
  assert.deepEqual(delivered, ['a', 'b']);
  // Back up, the backoff starts again: a new signal goes at once.
  transport.enqueue({ id: 'c' });
  await time.run(time.now());
  assert.deepEqual(server.received.at(-1).body.signals.map((s) => s.id), ['c']);
});

test('Retry-After is honoured on 429', async () => {
  const { time, server, transport } = setup([{ status: 429, headers: { 'Retry-After': '120' } }, 200]);
  transport.enqueue({ id: 'a' });
  await time.run(0);
  await time.run(119000);
  assert.equal(server.received.length, 1);
  await time.run(120000);
  assert.equal(server.received.length, 2);
});

test('a batch refused with 4xx is dropped with a warning; 408 is retried', async () => {
  const dropped = setup([400]);
  dropped.transport.enqueue({ id: 'a' });
  await dropped.time.run(0);
  assert.equal(dropped.outbox.size, 0);
  assert.match(dropped.warnings[0], /refused 1 signal\(s\) with HTTP 400/);
  const timeout = setup([408, 200]);
  timeout.transport.enqueue({ id: 'a' });
  await timeout.time.run(0);
  assert.equal(timeout.outbox.size, 1);
  await timeout.time.run(10000);
  assert.equal(timeout.outbox.size, 0);
});

test('a batch refused with 401 or 403 stays in the outbox for a later page, after one warning', async () => {
  for (const status of [401, 403]) {
    const refused = setup([status]);
    refused.transport.enqueue({ id: 'a' });
    await refused.time.run(0);
    refused.transport.enqueue({ id: 'b' });
    await refused.time.run(600000);
    assert.equal(refused.outbox.size, 2);
    assert.equal(refused.server.received.length, 1, 'not sent again from this page');
    assert.deepEqual(refused.warnings, [`mqlscore: the endpoint refused the signals with HTTP ${status} (is this site's origin allowed there?); keeping them for a later page`]);
  }
});

test('large outboxes go out in batches', async () => {
  const { time, server, transport, outbox } = setup([200], { batchSize: 2 });
  for (const id of ['1', '2', '3', '4', '5']) outbox.add({ id });
  await transport.flush();
  await time.run(0);
  assert.deepEqual(server.received.map((r) => r.body.signals.length), [2, 2, 1]);
});

// A signal whose evidence makes it about `kb` KB of JSON.
const bigSignal = (id, kb) => ({ id, evidence: [{ type: 'page_view', title: 'x'.repeat(kb * 1024) }] });

test('batches fit what a keepalive request may carry; a larger signal goes alone, without keepalive', async () => {
  const { time, server, transport, outbox } = setup([200]);
  for (const signal of [bigSignal('a', 30), bigSignal('b', 30), bigSignal('c', 30), bigSignal('huge', 100), bigSignal('d', 1)]) outbox.add(signal);
  await transport.flush();
  await time.run(0);
  assert.deepEqual(server.received.map((r) => r.body.signals.map((s) => s.id)), [['a', 'b'], ['c'], ['huge'], ['d']]);
  assert.deepEqual(server.received.map((r) => r.init.keepalive), [true, true, false, true]);
  for (const r of server.received.filter((x) => x.init.keepalive)) assert.ok(Buffer.byteLength(r.init.body) <= KEEPALIVE_BYTES);
  assert.equal(outbox.size, 0);
});

test('on pagehide a signal too large for a beacon goes by a plain fetch', async () => {
  const beacons = [];
  const { outbox, server, transport } = setup([200], { beacon: (url, body) => { beacons.push(body); return true; } });
  outbox.add(bigSignal('huge', 100));
  transport.onPageHide();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(beacons, []);
  assert.deepEqual(server.received.map((r) => [r.body.signals[0].id, r.init.keepalive]), [['huge', false]]);
  assert.equal(outbox.size, 0);
});

test('on pagehide waiting signals go to the beacon and stay in the outbox until acknowledged', async () => {
  const beacons = [];
  const { outbox, server, transport } = setup([200], { beacon: (url, body) => { beacons.push(JSON.parse(body)); return true; } });
  outbox.add({ id: 'late' });
  transport.onPageHide();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(beacons, [{ site: 'acme', signals: [{ id: 'late' }] }]);
  assert.deepEqual(server.received, []);  // the beacon took it: no second copy by fetch
  assert.equal(outbox.size, 1);
});

test('a signal of this page that another tab overwrote in the shared outbox is put back and sent', async () => {
  const storage = memoryStorage();
  const time = fakeTime();
  const server = endpoint(['network', 200]);
  const transport = createTransport({ endpoint: 'x', site: 's', outbox: createOutbox(storage), fetch: server.fetch,
    now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer, random: () => 0.5 });
  transport.enqueue({ id: 'mine' });
  await time.run(0);                              // the first attempt fails
  storage.setItem('mqlscore:outbox', '[]');       // another tab writes what it read just before
  await time.run(10000);
  assert.deepEqual(server.received.map((r) => r.body.signals.map((s) => s.id)), [['mine']]);
  assert.equal(createOutbox(storage).size, 0);
});

test('a transport stopped while a request is in flight leaves the outbox alone', async () => {
  let answer;
  const outbox = createOutbox(memoryStorage());
  const transport = createTransport({ endpoint: 'x', site: 's', outbox,
    fetch: () => new Promise((resolve) => { answer = resolve; }) });
  outbox.add({ id: 'a' });
  const sending = transport.flush();
  transport.stop();
  answer({ status: 200, headers: { get: () => null } });
  await sending;
  assert.deepEqual(outbox.peek().map((s) => s.id), ['a']);
});

test('signals survive a reload: a new transport over the same storage sends them', async () => {
  const storage = memoryStorage();
  const time = fakeTime();
  const first = createOutbox(storage);
  first.add({ id: 'kept' });
  const server = endpoint([200]);
  const transport = createTransport({ endpoint: 'x', site: 's', outbox: createOutbox(storage), fetch: server.fetch,
    now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer });
  await transport.flush();
  await time.run(0);
  assert.deepEqual(server.received[0].body.signals, [{ id: 'kept' }]);
});
