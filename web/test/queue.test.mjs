import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoaded, replayQueue } from '../src/queue.js';

test('queued calls are replayed in order', () => {
  const calls = [];
  const api = { track: (...a) => calls.push(['track', ...a]), identify: (t) => calls.push(['identify', t]) };
  replayQueue([['track', 'video_play', { id: 1 }], ['identify', { email: 'a@b.c' }]], api, () => {});
  assert.deepEqual(calls, [['track', 'video_play', { id: 1 }], ['identify', { email: 'a@b.c' }]]);
});

test('bad entries are skipped with a warning each and do not stop the rest', () => {
  const calls = [];
  const warnings = [];
  const api = { track: (type) => { if (type === 'boom') throw new Error('bad'); calls.push(type); }, toString: () => 'x' };
  const cycle = ['nope'];
  cycle.push(cycle);
  replayQueue([['nope'], 'junk', ['track', 'boom'], ['toString'], cycle, { big: 1n }, ['track', 'ok']], api, (w) => warnings.push(w));
  assert.deepEqual(calls, ['ok']);
  assert.deepEqual(warnings.slice(0, 4), [
    'mqlscore: ignoring queued call ["nope"]',
    'mqlscore: ignoring queued call "junk"',
    'mqlscore: queued track failed: bad',
    'mqlscore: ignoring queued call ["toString"]',
  ]);
  // Entries that cannot be written out in the warning are skipped all the same.
  assert.match(warnings[4], /^mqlscore: queued nope failed: Converting circular structure to JSON/);
  assert.match(warnings[5], /^mqlscore: queued undefined failed: .*BigInt/);
  assert.equal(warnings.length, 6);
});

test('a loaded API is recognised so a second copy stays inert', () => {
  assert.equal(isLoaded(undefined), false);
  assert.equal(isLoaded([]), false);
  assert.equal(isLoaded({ __mqlscore: true }), true);
});
