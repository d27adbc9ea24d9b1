import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSafeStorage } from '../src/storage.js';

function memoryBackend() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k), data };
}

test('a working localStorage is used as is', () => {
  const backend = memoryBackend();
  const warnings = [];
  const storage = createSafeStorage(() => backend, (w) => warnings.push(w));
  storage.setItem('a', '1');
  assert.equal(backend.data.get('a'), '1');
  assert.equal(storage.getItem('a'), '1');
  assert.deepEqual(warnings, []);
});

test('blocked storage falls back to memory with one warning', () => {
  const warnings = [];
  const storage = createSafeStorage(() => { throw Object.assign(new Error('denied'), { name: 'SecurityError' }); }, (w) => warnings.push(w));
  storage.setItem('a', '1');
  assert.equal(storage.getItem('a'), '1');
  storage.removeItem('a');
  assert.equal(storage.getItem('a'), null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /localStorage is not available \(SecurityError\)/);
});

test('a full quota keeps the item in memory and warns once', () => {
  const backend = memoryBackend();
  const warnings = [];
  const storage = createSafeStorage(() => backend, (w) => warnings.push(w));
  backend.setItem = (k) => { if (k !== '__mqlscore_probe__') throw Object.assign(new Error('full'), { name: 'QuotaExceededError' }); };
  backend.data.set('big', 'stale');
  storage.setItem('big', 'x');
  storage.setItem('big2', 'y');
  assert.equal(backend.data.get('big'), 'stale');
  assert.equal(storage.getItem('big'), 'x');  // what this page wrote, not what the backend kept
  assert.equal(storage.getItem('big2'), 'y');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /QuotaExceededError/);
  storage.removeItem('big');
  assert.equal(storage.getItem('big'), null);
});

test('without a backend (no consent) everything stays in memory, silently', () => {
  const warnings = [];
  const storage = createSafeStorage(null, (w) => warnings.push(w));
  storage.setItem('mqlscore:a', '1');
  assert.equal(storage.getItem('mqlscore:a'), '1');
  assert.deepEqual(storage.keys('mqlscore:'), ['mqlscore:a']);
  assert.deepEqual(warnings, []);
});
