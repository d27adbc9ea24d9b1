// The playground's logic without the page (web/playground/journey.js), against the real core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import createMqlscoreCore from '../../wasm/mqlscore-core.mjs';
import { JOURNEY_START, appendEvent, awardsBetween, decodeState, encodeState, offsetOfPointer, offsetOfProblem,
  replayJourney, visitorEvents } from '../playground/journey.js';

const core = await createMqlscoreCore({ wasmBinary: readFileSync('build/wasm/wasm/mqlscore-core.wasm') });
const RULES = `{"version": 1, "decay": {"half_life_days": 1},
  "stages": [{"name": "mql", "engagement": 20}, {"name": "visitor"}],
  "rules": [{"id": "pricing", "on": "page_view", "points": 15},
            {"id": "demo", "on": "form_submit", "points": 10, "limit": {"times": 1, "per": "ever"}}]}`;

test('a journey replays into chart points: each event with its awards, decay between far events', () => {
  const rules = new core.Rules(RULES);
  let events = appendEvent('', 'page_view', { url: 'https://x.com/pricing' });
  events = appendEvent(events, 'form_submit', { form: 'demo' });
  events = appendEvent(events, 'form_submit', { form: 'demo' }, 2);
  const replay = replayJourney(core, rules, events);
  const awards = (step) => replayJourney(core, rules, events, step).steps[step].awards;
  assert.deepEqual(awards(0), [{ rule: 'pricing', points: 15 }]);
  assert.deepEqual(awards(1), [{ rule: 'demo', points: 10 }]);
  assert.deepEqual(awards(2), [], 'the limit is used up');
  rules.delete();
  assert.equal(replay.problem, null);
  assert.equal(replay.steps.length, 3);
  assert.equal(replay.steps[0].awards, undefined, 'the full replay leaves awards to a hover');
  assert.equal(replay.points.find((p) => p.step === 1).stage, 'mql');
  assert.equal(replay.points.filter((p) => p.step === null).length, 6, 'the two days between get points');
  const decayed = replay.points.filter((p) => p.step === null);
  assert.ok(decayed[0].engagement > decayed.at(-1).engagement, 'engagement decays between events');
  assert.equal(replay.final.stage, 'visitor', 'two half-lives later it is no longer an MQL');
});

test('a long journey is drawn with at most 200 event points, stage changes among them', () => {
  const rules = new core.Rules(RULES);
  let events = '';
  for (let i = 0; i < 1000; i++) events = appendEvent(events, ['page_view', 'form_submit'][[0, 701].indexOf(i)] || 'blog_read', {});
  const replay = replayJourney(core, rules, events);
  rules.delete();
  const eventPoints = replay.points.filter((p) => p.step !== null);
  const changes = replay.steps.filter((step) => step.signals.length > 0).length;
  assert.ok(eventPoints.length <= 200 + changes + 1, `${eventPoints.length} points`);
  assert.ok(eventPoints.some((p) => p.step === 701 && p.stage === 'mql'), 'the stage change is a point (701 is not a multiple of 5)');
  assert.equal(eventPoints.at(-1).step, 999);
  assert.equal(replay.steps.length, 1000);
});

test('a line that is not an event stops the replay with its line number', () => {
  const rules = new core.Rules(RULES);
  const text = `${appendEvent('', 'page_view', {})}\n{"type":"page_view"}\nnot json\n`;
  assert.equal(replayJourney(core, rules, text).problem, 'line 3: ts is required');
  assert.match(replayJourney(core, rules, 'not json').problem, /^line 1: not JSON/);
  rules.delete();
});

test('appended events follow the last one by a minute, or a gap of days', () => {
  const one = appendEvent('', 'cta_click', { cta: 'book-demo' });
  assert.deepEqual(JSON.parse(one), { type: 'cta_click', ts: new Date(JOURNEY_START).toISOString(), cta: 'book-demo' });
  const two = JSON.parse(appendEvent(one, 'page_view', {}, 3).trim().split('\n')[1]);
  assert.equal(Date.parse(two.ts), JOURNEY_START + 60000 + 3 * 86400000);
});

test('a JSON Pointer or a parse error leads to its place in the rules text', () => {
  const text = '{\n  "stages": [{"name": "mql"}],\n  "rules": [{"id": "a", "limit": {"per": "month"}}]\n}';
  assert.equal(text.slice(offsetOfPointer(text, '/rules/0/limit/per')).slice(0, 5), '"per"');
  assert.equal(text.slice(offsetOfPointer(text, '/stages/0')).slice(0, 8), '{"name":');
  assert.equal(text.slice(offsetOfPointer(text, '/rules/0/missing')).slice(0, 4), '{"id', 'the deepest part that exists');
  assert.equal(offsetOfPointer(text, ''), 0);
  assert.equal(offsetOfProblem(text, 'the rules file is not valid JSON: parse error at line 3, column 3: x'), text.indexOf('"rules"'));
});

test('the state survives the trip through the link, and a damaged link restores nothing', async () => {
  const state = { rules: RULES, events: appendEvent('', 'identify', { traits: { email: 'añn@example.com' } }) };
  const fragment = await encodeState(state);
  assert.match(fragment, /^s=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(`#${fragment}`), state);
  assert.equal(await decodeState('#s=garbage'), null);
  assert.equal(await decodeState(''), null);
});

test('one visitor of a sample log, and the awards between two reason lists', () => {
  const log = '{"visitor":"a","type":"x","ts":1}\n{"visitor":"b","type":"y","ts":2}\n{"visitor":"a","type":"z","ts":3}\n';
  assert.equal(visitorEvents(log, 'a'), '{"visitor":"a","type":"x","ts":1}\n{"visitor":"a","type":"z","ts":3}\n');
  assert.deepEqual(awardsBetween([{ rule: 'a', points: 5 }, { rule: 'gone', points: 2 }], [{ rule: 'a', points: 15 }]),
    [{ rule: 'a', points: 10 }, { rule: 'gone', points: -2 }]);
});
