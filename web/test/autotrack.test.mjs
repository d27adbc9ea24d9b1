import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engagedTime, scrolling } from '../src/autotrack.js';

// A tab whose visibility and clock the test moves; engagedTime ticks when told.
function fakeTab() {
  const listeners = [];
  const tab = {
    ms: 0,
    tick: null,
    emitted: [],
    document: {
      visibilityState: 'visible',
      addEventListener: (type, fn) => listeners.push(fn),
    },
    setVisibility(state) { tab.document.visibilityState = state; listeners.forEach((fn) => fn()); },
    advance(seconds) {
      for (let i = 0; i < seconds; i++) { tab.ms += 1000; tab.tick(); }
    },
  };
  tab.module = engagedTime({
    document: tab.document,
    settings: { engaged_seconds: [30, 120] },
    emit: (type, fields) => tab.emitted.push([type, fields.seconds]),
    now: () => tab.ms,
    setInterval: (fn) => { tab.tick = fn; return 1; },
  });
  return tab;
}

test('engaged time counts only while the tab is visible', () => {
  const tab = fakeTab();
  tab.module.enable();
  tab.advance(20);
  tab.setVisibility('hidden');
  tab.advance(600);
  assert.deepEqual(tab.emitted, []);
  tab.setVisibility('visible');
  tab.advance(9);
  assert.deepEqual(tab.emitted, []);
  tab.advance(1);
  assert.deepEqual(tab.emitted, [['engaged_time', 30]]);
  tab.advance(90);
  assert.deepEqual(tab.emitted, [['engaged_time', 30], ['engaged_time', 120]]);
});

test('each mark is reached once per page view; a new page view starts again from zero', () => {
  const tab = fakeTab();
  tab.module.enable();
  tab.advance(200);
  assert.deepEqual(tab.emitted, [['engaged_time', 30], ['engaged_time', 120]]);
  tab.module.reset();
  tab.advance(29);
  assert.equal(tab.emitted.length, 2);
  tab.advance(1);
  assert.deepEqual(tab.emitted.at(-1), ['engaged_time', 30]);
});

test('scroll events are measured at most once a frame, at the marks reached', () => {
  const frames = [];
  let onScroll = null;
  const window = {
    scrollY: 0,
    innerHeight: 1000,
    addEventListener: (type, fn) => { onScroll = fn; },
    requestAnimationFrame: (fn) => frames.push(fn),
  };
  let heightReads = 0;
  const document = { documentElement: { get scrollHeight() { heightReads++; return 3000; } } };
  const emitted = [];
  const module = scrolling({ window, document, settings: { scroll: [50, 90] }, emit: (type, f) => emitted.push(f.percent) });
  module.enable();
  for (const y of [200, 900, 1100, 1500]) { window.scrollY = y; onScroll(); }
  assert.equal(frames.length, 1);
  assert.equal(heightReads, 0);
  frames.shift()();
  assert.equal(heightReads, 1);
  assert.deepEqual(emitted, [50]);  // 1500 of 2000
  window.scrollY = 2000;
  onScroll();
  frames.shift()();
  assert.deepEqual(emitted, [50, 90]);
});
