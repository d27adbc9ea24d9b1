// The widget: one <script async src=".../mqlscore.js" data-rules=... data-endpoint=... data-site=...>.
// Loads the scoring core (WebAssembly, next to this script), the rules, and the visitor's saved
// state; autotracks; scores every event on the page; sends stage changes to the endpoint.
// Whatever fails (no wasm, bad rules, no storage) ends in one console.warn and an inert widget:
// the host page never sees an exception and no click or submit waits for us.
import createMqlscoreCore from 'mqlscore-core';
import { clicks, engagedTime, forms, pageViews, scrolling } from './autotrack.js';
import { createOutbox } from './outbox.js';
import { redactUrl, trackSettings } from './payloads.js';
import { isLoaded, replayQueue } from './queue.js';
import { createSafeStorage } from './storage.js';
import { createTransport } from './transport.js';

const KEYS = { visitor: 'mqlscore:visitor', state: 'mqlscore:state', evidence: 'mqlscore:evidence' };
const MAX_EVIDENCE = 200;

const warn = (message) => console.warn(`mqlscore: ${message}`);

function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function privacySignal() {
  return navigator.globalPrivacyControl === true || navigator.doNotTrack === '1' || window.doNotTrack === '1';
}

async function loadRules(script) {
  const inline = document.getElementById('mqlscore-rules');
  if (inline && inline.type === 'application/json') return inline.textContent;
  const url = script && script.getAttribute('data-rules');
  if (!url) throw new Error('no rules: set data-rules or add <script type="application/json" id="mqlscore-rules">');
  const response = await fetch(new URL(url, document.baseURI).href, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the rules file ${url} answered HTTP ${response.status}`);
  return response.text();
}

export function start(script) {
  const existing = window.mqlscore;
  if (isLoaded(existing)) return existing;  // the script was included twice
  const queue = Array.isArray(existing) ? existing.slice() : [];
  const handlers = { stage_changed: [] };
  const pending = [];     // calls made before the core is ready
  let widget = null;      // set once ready; stays null when the widget is inert
  let inert = false;
  const consentMode = script ? script.getAttribute('data-consent') : null;
  let consented = consentMode === 'granted' || (consentMode !== 'required' && !privacySignal());

  const api = {
    __mqlscore: true,
    track(type, fields = {}) {
      if (typeof type !== 'string' || type === '') { warn('track(type, fields) needs an event type'); return; }
      if (widget) widget.track(type, fields); else if (!inert) pending.push(['track', type, fields]);
    },
    identify(traits = {}) { api.track('identify', { traits }); },
    score() { return widget ? widget.score() : null; },
    on(name, fn) {
      if (!handlers[name] || typeof fn !== 'function') { warn(`on(): unknown event ${name}`); return; }
      handlers[name].push(fn);
    },
    reset() { if (widget) widget.reset(); },
    consent(granted) {
      consented = granted === true;
      if (widget) widget.setConsent(consented);
    },
    ready: null,
  };
  window.mqlscore = api;

  api.ready = (async () => {
    const scriptUrl = script && script.src ? script.src : document.baseURI;
    const [rulesText, core] = await Promise.all([
      loadRules(script),
      createMqlscoreCore({ locateFile: (file) => new URL(file, scriptUrl).href }),
    ]);
    const rules = new core.Rules(rulesText);
    if (!rules.ok()) throw new Error(`the rules file is invalid: ${JSON.parse(rules.problems()).join('; ')}`);
    widget = createWidget({ core, rules, script, handlers, consented });
    for (const [name, ...args] of pending) api[name](...args);
    replayQueue(queue, api);
    widget.enableTracking();
    return api;
  })().catch((error) => {
    inert = true;
    pending.length = 0;
    warn(`inactive: ${error && error.message ? error.message : error}`);
    return null;
  });
  return api;
}

function createWidget({ core, rules, script, handlers, consented }) {
  const site = (script && script.getAttribute('data-site')) || '';
  const endpoint = script && script.getAttribute('data-endpoint');
  const rulesHash = rules.hash();
  const settings = trackSettings(JSON.parse(rules.track()));
  const memoryOnly = createSafeStorage(() => { throw Object.assign(new Error('no consent'), { name: 'NoConsent' }); }, () => {});
  const persistent = createSafeStorage(() => window.localStorage, warn);
  let storage = consented ? persistent : memoryOnly;
  let outbox = createOutbox(storage);
  let transport = null;

  const startTransport = () => {
    if (transport) transport.stop();
    transport = endpoint && consented
      ? createTransport({ endpoint, site, outbox, fetch: (...a) => window.fetch(...a),
          beacon: navigator.sendBeacon ? (url, body) => navigator.sendBeacon(url, body) : null, warn: (m) => console.warn(m) })
      : null;
    if (transport) transport.flush();
  };

  let visitorId = storage.getItem(KEYS.visitor);
  if (!visitorId) {
    visitorId = randomId();
    storage.setItem(KEYS.visitor, visitorId);
  }
  let visitor = new core.Visitor(rules, visitorId);
  let knownState = null;
  // Another tab of the same visitor may have scored since we last looked: continue from its state.
  const syncFromStorage = () => {
    const stored = storage.getItem(KEYS.state);
    if (stored === null || stored === knownState) return;
    const restored = JSON.parse(visitor.restore(stored));
    if (!restored.ok) {
      warn(`the saved score could not be read (${restored.error}); starting afresh`);
      storage.removeItem(KEYS.state);
      storage.removeItem(KEYS.evidence);
    }
    knownState = stored;
  };
  const readEvidence = () => {
    try {
      const list = JSON.parse(storage.getItem(KEYS.evidence) || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  };
  syncFromStorage();

  const dispatch = (signal) => {
    for (const fn of handlers.stage_changed) {
      try { fn(signal); } catch (error) { warn(`a stage_changed handler failed: ${error && error.message}`); }
    }
    try { document.dispatchEvent(new CustomEvent('mqlscore:stage_changed', { detail: signal })); } catch { /* old browsers */ }
    if (Array.isArray(window.dataLayer)) window.dataLayer.push({ event: 'mqlscore.stage_changed', mqlscore: signal });
  };

  const widget = {
    track(type, fields) {
      const event = { ...fields, type, ts: Date.now(), url: redactUrl(window.location.href),
        referrer: document.referrer ? redactUrl(document.referrer) : undefined, title: document.title || undefined };
      if (fields.url) event.url = redactUrl(String(fields.url));
      syncFromStorage();
      const text = JSON.stringify(event);
      const outcome = JSON.parse(visitor.track(text));
      if (!outcome.ok) { warn(`event not scored: ${outcome.error}`); return; }
      const evidence = readEvidence();
      evidence.push(event);
      while (evidence.length > MAX_EVIDENCE) evidence.shift();
      storage.setItem(KEYS.evidence, JSON.stringify(evidence));
      knownState = visitor.snapshot();
      storage.setItem(KEYS.state, knownState);
      for (const change of outcome.signals) {
        const signal = { ...change, id: randomId(), site, rules_hash: rulesHash, evidence: evidence.slice(),
          evidence_complete: evidence.length < MAX_EVIDENCE };
        if (transport || endpoint) outbox.add(signal);
        if (transport) transport.enqueue(signal);
        dispatch(signal);
      }
    },
    score() {
      syncFromStorage();
      return JSON.parse(visitor.scores(Date.now()));
    },
    reset() {
      for (const key of Object.values(KEYS)) storage.removeItem(key);
      visitor.delete();
      visitorId = randomId();
      storage.setItem(KEYS.visitor, visitorId);
      visitor = new core.Visitor(rules, visitorId);
      knownState = null;
    },
    setConsent(granted) {
      const next = granted ? persistent : memoryOnly;
      if (next === storage) return;
      if (granted) {  // keep what was scored so far
        for (const key of Object.values(KEYS)) {
          const value = storage.getItem(key);
          if (value !== null) next.setItem(key, value);
        }
        const waiting = outbox.peek();
        storage = next;
        outbox = createOutbox(storage);
        waiting.forEach((s) => outbox.add(s));
      } else {
        for (const key of [...Object.values(KEYS), 'mqlscore:outbox']) persistent.removeItem(key);
        storage = next;
        outbox = createOutbox(storage);
      }
      consented = granted;
      startTransport();
    },
    enableTracking() {
      const env = { window, document, settings, emit: (type, fields) => widget.track(type, fields) };
      const scroll = scrolling(env);
      const engaged = engagedTime(env);
      const views = pageViews({ window, emit: (type, fields) => { scroll.reset(); engaged.reset(); widget.track(type, fields); } });
      for (const module of [clicks(env), forms(env), scroll, engaged, views]) module.enable();
      window.addEventListener('pagehide', () => { if (transport) transport.onPageHide(); });
    },
  };
  startTransport();
  return widget;
}

try {
  start(document.currentScript);
} catch (error) {
  warn(`inactive: ${error && error.message}`);
}
