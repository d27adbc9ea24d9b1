import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoaded, replayQueue } from '../src/queue.js';

test('queued calls are replayed in order', () => {
  const calls = [];
  const api = { track: (...a) => calls.push(['track', ...a]), identify: (t) => calls.push(['identify', t]) };
  replayQueue([['track', 'video_play', { id: 1 }], ['identify', { email: 'a@b.c' }]], api, () => {});
  assert.deepEqual(calls, [['track', 'video_play', { id: 1 }], ['identify', { email: 'a@b.c' }]]);
});

test('bad entries are skipped with a warning and do not stop the rest', () => {
  const calls = [];
  const warnings = [];
  const api = { track: (type) => { if (type === 'boom') throw new Error('bad'); calls.push(type); }, toString: () => 'x' };
  replayQueue([['nope'], 'junk', ['track', 'boom'], ['toString'], ['track', 'ok']], api, (w) => warnings.push(w));
  assert.deepEqual(calls, ['ok']);
  assert.equal(warnings.length, 4);
});

test('a loaded API is recognised so a second copy stays inert', () => {
  assert.equal(isLoaded(undefined), false);
  assert.equal(isLoaded([]), false);
  assert.equal(isLoaded({ __mqlscore: true }), true);
});
