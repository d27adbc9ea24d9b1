import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, retryAfterDelay } from '../src/backoff.js';

test('backoff grows exponentially up to the cap, with full jitter', () => {
  const top = () => 0.999999;
  assert.equal(backoffDelay(1, { baseMs: 1000, random: top }), 999);
  assert.equal(backoffDelay(2, { baseMs: 1000, random: top }), 1999);
  assert.equal(backoffDelay(4, { baseMs: 1000, random: top }), 7999);
  assert.equal(backoffDelay(40, { baseMs: 1000, maxMs: 60000, random: top }), 59999);
  assert.equal(backoffDelay(3, { random: () => 0 }), 0);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterDelay('120', now), 120000);
  assert.equal(retryAfterDelay('Thu, 01 Jan 2026 00:00:30 GMT', now), 30000);
  assert.equal(retryAfterDelay('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  assert.equal(retryAfterDelay(null, now), null);
  assert.equal(retryAfterDelay('soon', now), null);
});
