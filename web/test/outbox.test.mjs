import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutbox } from '../src/outbox.js';
import { createSafeStorage } from '../src/storage.js';

function storage() {
  const data = new Map();
  return createSafeStorage(() => ({ getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) }), () => {});
}

test('signals persist across outbox instances (page loads)', () => {
  const shared = storage();
  createOutbox(shared).add({ id: 'a', to: 'mql' });
  const reloaded = createOutbox(shared);
  assert.deepEqual(reloaded.peek(), [{ id: 'a', to: 'mql' }]);
});

test('the same signal id is kept once', () => {
  const outbox = createOutbox(storage());
  outbox.add({ id: 'a' });
  outbox.add({ id: 'a' });
  assert.equal(outbox.size, 1);
});

test('beyond the cap the oldest signals go first', () => {
  const outbox = createOutbox(storage(), { maxItems: 3 });
  for (const id of ['1', '2', '3', '4', '5']) outbox.add({ id });
  assert.deepEqual(outbox.peek().map((s) => s.id), ['3', '4', '5']);
  const bytes = createOutbox(storage(), { maxBytes: 60 });
  for (const id of ['1', '2', '3', '4', '5']) bytes.add({ id, pad: 'xxxxxxxxxx' });
  assert.ok(JSON.stringify(bytes.peek()).length <= 60);
  assert.equal(bytes.peek().at(-1).id, '5');
});

test('the newest signal stays even when it alone is over the byte cap', () => {
  const outbox = createOutbox(storage(), { maxBytes: 60 });
  outbox.add({ id: 'small' });
  outbox.add({ id: 'big', evidence: 'x'.repeat(100) });
  assert.deepEqual(outbox.peek().map((s) => s.id), ['big']);
});

test('delivered signals are removed by id, in any order', () => {
  const outbox = createOutbox(storage());
  for (const id of ['1', '2', '3']) outbox.add({ id });
  outbox.remove(['3', '1']);
  assert.deepEqual(outbox.peek().map((s) => s.id), ['2']);
});

test('a corrupted outbox starts empty instead of failing', () => {
  const shared = storage();
  shared.setItem('mqlscore:outbox', '{not json');
  const outbox = createOutbox(shared);
  assert.equal(outbox.size, 0);
  outbox.add({ id: 'a' });
  assert.equal(outbox.size, 1);
});
