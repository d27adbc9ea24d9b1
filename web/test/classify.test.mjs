import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStatus } from '../src/classify.js';

test('answers are delivered, retried, rate-limited or dropped', () => {
  assert.equal(classifyStatus(200), 'delivered');
  assert.equal(classifyStatus(202), 'delivered');
  assert.equal(classifyStatus(429), 'rate-limited');
  for (const status of [0, 408, 500, 502, 503]) assert.equal(classifyStatus(status), 'retry', String(status));
  for (const status of [400, 404, 410, 413, 422]) assert.equal(classifyStatus(status), 'drop', String(status));
  for (const status of [401, 403]) assert.equal(classifyStatus(status), 'refused', String(status));
});
