// The widget: one <script async src=".../mqlscore.js" data-rules=... data-endpoint=... data-site=...>.
// Loads the scoring core (WebAssembly, next to this script), the rules, and the visitor's saved
// state; autotracks; scores every event on the page; sends stage changes to the endpoint.
// Whatever fails (no wasm, bad rules, no storage) ends in one console.warn and an inert widget:
// the host page never sees an exception and no click or submit waits for us.
import createMqlscoreCore, { fetchOk, readJson } from '../../wasm/mqlscore-core.mjs';
import { clicks, engagedTime, forms, pageViews, scrolling } from './autotrack.js';
import { createOutbox } from './outbox.js';
import { redactText, redactUrl, trackSettings, withoutLoneSurrogates } from './payloads.js';
import { STUB_METHODS, isLoaded, replayQueue } from './queue.js';
import { createSafeStorage } from './storage.js';
import { createTransport } from './transport.js';

const KEYS = { visitor: 'mqlscore:visitor', state: 'mqlscore:state', evidencePruned: 'mqlscore:evidence-pruned',
  previous: 'mqlscore:previous' };
// Scored events are kept in chunks, one key per write, shared by every tab of the visitor, from
// the visitor's previous signal on; the latest MAX_EVIDENCE go with the next signal as evidence.
const EVIDENCE_PREFIX = 'mqlscore:events:';
const MAX_EVIDENCE = 200;
const MAX_EVIDENCE_BYTES = 256 * 1024;  // the reference collector takes batches up to 1 MiB
// Chunks are merged once there are more than this many, so stored evidence stays bounded even for
// a visitor whose stage never changes (nothing else would read and prune it).
const COMPACT_AFTER_CHUNKS = 20;

const warn = (message) => console.warn(`mqlscore: ${message}`);

// Whether the browser parses `selector` (an empty fragment: nothing is searched).
function isSelector(selector) {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

// Lets the page run its own tasks before we go on (scheduler.yield where there is one).
const yieldToPage = () => (window.scheduler && typeof window.scheduler.yield === 'function'
  ? window.scheduler.yield()
  : new Promise((resolve) => setTimeout(resolve, 0)));

function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function privacySignal() {
  return navigator.globalPrivacyControl === true || navigator.doNotTrack === '1' || window.doNotTrack === '1';
}

// [the rules file's text, its name in messages]
async function loadRules(script) {
  const inline = document.getElementById('mqlscore-rules');
  if (inline && inline.type === 'application/json') return [inline.textContent, 'in the page (#mqlscore-rules)'];
  const url = script && script.getAttribute('data-rules');
  if (!url) throw new Error('no rules: set data-rules or add <script type="application/json" id="mqlscore-rules">');
  const response = await fetchOk(new URL(url, document.baseURI).href, `the rules file ${url}`);
  return [await response.text(), url];
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
  // A consent decision queued before the script loaded holds from the start: nothing is stored
  // before it is known.
  for (const call of queue) if (Array.isArray(call) && call[0] === 'consent') consented = call[1] === true;

  // The page's calls never see an exception of ours (an exhausted core, say): one warning instead.
  const guarded = (name, fn, fallback) => (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      warn(`${name}() failed: ${error && error.message ? error.message : error}`);
      return fallback;
    }
  };
  const api = {
    __mqlscore: true,
    track(type, fields = {}) {
      if (typeof type !== 'string' || type === '') { warn('track(type, fields) needs an event type'); return; }
      if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
        warn(`track("${type}", fields): fields must be an object; ignoring them`);
        fields = {};
      }
      if (widget) widget.track(type, fields); else if (!inert) pending.push(['track', type, fields]);
    },
    identify(traits = {}) { api.track('identify', { traits }); },
    score() { return widget ? widget.score() : null; },
    on(name, fn) {
      if (!handlers[name] || typeof fn !== 'function') { warn(`on(): unknown event ${name}`); return; }
      handlers[name].push(fn);
    },
    // Before ready it waits its turn, like track: a logout snippet's reset() follows its tracks.
    reset() { if (widget) widget.reset(); else if (!inert) pending.push(['reset']); },
    // Snippets written for the stub queue keep working after load: each call runs at once.
    push(...calls) { replayQueue(calls, api); },
    // Withdrawn consent deletes what earlier pages stored, in every mode and at any time.
    consent(granted) {
      consented = granted === true;
      if (widget) widget.setConsent(consented);
      else if (!consented) forgetStored(openStorage());
    },
    ready: null,
    version: MQLSCORE_VERSION,  // package.json's, put in by scripts/build-widget
  };
  for (const name of [...STUB_METHODS, 'push']) api[name] = guarded(name, api[name]);
  api.score = guarded('score', api.score, null);
  window.mqlscore = api;

  // performance.mark()s let a site (and scripts/bench-widget) see where start-up time goes.
  const mark = (name) => { try { performance.mark(`mqlscore:${name}`); } catch { /* no User Timing */ } };
  mark('start');
  if (script && script.hasAttribute('data-endpoint') && !script.getAttribute('data-site')) {
    warn('the script tag has no data-site: signals stay in this browser until it names the site (data-site="acme")');
  }
  // The downloads start in a microtask of their own, after the script has run: while DevTools or a
  // test driver watches the network, Chromium records the stack of each request's caller, and V8
  // re-parses every function on it for source positions. Called from inside the script's top
  // level, that was the whole script three times over, 5-20 ms before the first request left.
  const scriptUrl = script && script.src ? script.src : document.baseURI;
  const downloads = Promise.resolve().then(() => Promise.all([
    loadRules(script).then((loaded) => { mark('rules-loaded'); return loaded; }),
    // data-wasm: the core under another name (a hashed file name), relative to the script.
    createMqlscoreCore({ wasmUrl: new URL((script && script.getAttribute('data-wasm')) || 'mqlscore-core.wasm', scriptUrl).href })
      .then((m) => { mark('core-ready'); return m; }),
  ]));
  api.ready = (async () => {
    await null;  // after the microtask that starts the downloads
    // With consent the widget writes to localStorage on every page: opening it (its first write
    // costs ~5 ms in Chromium) while the rules and the core download keeps that off the way to ready.
    const openedStorage = consented ? openStorage() : null;
    const [[rulesText, rulesName], core] = await downloads;
    // What follows is one task when it is quick (~20 ms). On a slow device it yields to the page
    // between its steps, so that it never becomes a long task delaying the page's own input.
    let taskStart = performance.now();
    const yieldIfLong = async () => {
      if (performance.now() - taskStart < 20) return;
      await yieldToPage();
      taskStart = performance.now();
    };
    const rules = new core.Rules(rulesText);
    if (!rules.ok()) throw new Error(`the rules file ${rulesName} is invalid: ${rules.problems().join('; ')}`);
    mark('rules-parsed');
    await yieldIfLong();
    // The core checked that `track`, what to autotrack, is an object; the widget reads it.
    const settings = trackSettings(readJson(rulesText).value.track, warn, isSelector);
    widget = createWidget({ core, rules, settings, script, handlers, consented, openedStorage });
    mark('widget-created');
    replayQueue(queue, api);  // calls queued before the script loaded came first
    for (const [name, ...args] of pending) api[name](...args);
    await yieldIfLong();
    widget.enableTracking();
    mark('ready');
    return api;
  })().catch((error) => {
    inert = true;
    pending.length = 0;
    warn(`inactive: ${error && error.message ? error.message : error}`);
    return null;
  });
  return api;
}

// Its warnings are worded in full ("mqlscore: ...").
const openStorage = () => createSafeStorage(() => window.localStorage);
const forgetStored = (stored) => { for (const key of stored.keys('mqlscore:')) stored.removeItem(key); };

function createWidget({ core, rules, settings, script, handlers, consented, openedStorage }) {
  const site = (script && script.getAttribute('data-site')) || '';
  const endpoint = script && script.getAttribute('data-endpoint');
  const dataLayerEvidence = script && script.getAttribute('data-datalayer') === 'evidence';
  const rulesHash = rules.hash();
  const memoryOnly = createSafeStorage(null);
  // Opened at start when there was consent then, else on first use: even probing localStorage is
  // a write, which needs consent.
  let persistentStorage = openedStorage;
  const persistent = () => persistentStorage || (persistentStorage = openStorage());
  let storage = consented ? persistent() : memoryOnly;
  let outbox = createOutbox(storage);
  let transport = null;

  const startTransport = () => {
    if (transport) transport.stop();
    // Without a site the endpoint would refuse every batch: they wait in the outbox instead.
    transport = endpoint && site && consented
      ? createTransport({ endpoint, site, outbox, fetch: (...a) => window.fetch(...a),
          beacon: navigator.sendBeacon ? (url, body) => navigator.sendBeacon(url, body) : null })
      : null;
    if (transport) transport.flush();
  };

  let visitorId = storage.getItem(KEYS.visitor);
  if (!visitorId) {
    visitorId = randomId();
    storage.setItem(KEYS.visitor, visitorId);
  }
  let visitor = new core.Visitor(rules, visitorId);
  // Scoring starts afresh for `id` (another visitor, or one whose saved state is unreadable).
  const startVisitor = (id) => {
    visitor.delete();
    visitorId = id;
    visitor = new core.Visitor(rules, visitorId);
    knownState = null;
  };

  // Persistence. A localStorage write costs ~70 µs in Chromium, so writes are coalesced: the state
  // and the events scored since the last write (`pending`) go out together 250 ms after the first
  // change, and at once when the tab is hidden or closed or a signal needs its evidence. Another
  // tab of the same visitor may have written in between: we then continue from its state and
  // score our pending events again on top of it, so neither tab's points are lost or counted twice.
  let knownState = null;        // what storage held at our last read or write
  let pending = [];             // events (JSON text) scored since our last write
  let announced = new Set();    // "from>to" of stage changes announced since our last write
  let flushTimer = null;
  let sequence = 0;
  const evidenceKeys = () => [KEYS.evidencePruned, ...storage.keys(EVIDENCE_PREFIX)];
  const storedKeys = () => [KEYS.state, KEYS.previous, ...evidenceKeys()];

  function syncFromStorage() {
    const stored = storage.getItem(KEYS.state);
    if (stored === null || stored === knownState) return;
    knownState = stored;
    const restored = visitor.restore(stored);
    if (!restored.ok) {
      warn(`the saved score could not be read (${restored.error}); starting afresh`);
      for (const key of storedKeys()) storage.removeItem(key);
      startVisitor(visitorId);
    }
    // Together, both tabs' events can cross a threshold neither crossed alone: announce those.
    for (const text of pending) {
      const outcome = visitor.track(JSON.parse(text));
      const fresh = outcome.ok ? outcome.signals.filter((s) => !announced.has(`${s.from}>${s.to}`)) : [];
      if (fresh.length) setTimeout(() => announce(fresh), 0);
    }
  }

  function flush() {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0) return;
    syncFromStorage();
    const chunk = pending;
    pending = [];
    announced = new Set();
    const ts = String(JSON.parse(chunk[0]).ts).padStart(15, '0');
    const key = `${EVIDENCE_PREFIX}${ts}-${String(sequence++).padStart(6, '0')}-${randomId().slice(0, 8)}`;
    storage.setItem(key, `[${chunk.join(',')}]`);
    knownState = JSON.stringify(visitor.snapshot());
    storage.setItem(KEYS.state, knownState);
    if (storage.keys(EVIDENCE_PREFIX).length > COMPACT_AFTER_CHUNKS) compactEvidence();
  }

  // Merges the evidence chunks of every tab into one, the latest MAX_EVIDENCE events oldest
  // first, and returns them. A chunk another tab writes meanwhile has a key of its own and stays.
  function compactEvidence() {
    const keys = storage.keys(EVIDENCE_PREFIX).sort();
    let events = [];
    let lost = false;
    for (const key of keys) {
      try { events = events.concat(JSON.parse(storage.getItem(key))); } catch { lost = true; }
    }
    if (events.length > MAX_EVIDENCE) {
      events = events.slice(-MAX_EVIDENCE);
      lost = true;
    }
    if (lost) storage.setItem(KEYS.evidencePruned, '1');
    if (keys.length > 0) {
      storage.setItem(keys[keys.length - 1], JSON.stringify(events));
      for (const key of keys.slice(0, -1)) storage.removeItem(key);
    }
    return { events, complete: storage.getItem(KEYS.evidencePruned) === null };
  }

  // The latest events of this visitor, from every tab, oldest first: at most MAX_EVIDENCE, and at
  // most MAX_EVIDENCE_BYTES of JSON, so that a signal always fits what an endpoint accepts.
  function readEvidence() {
    flush();
    const { events, complete } = compactEvidence();
    let bytes = 0;
    let first = events.length;
    while (first > 0) {
      const size = JSON.stringify(events[first - 1]).length;
      if (bytes + size > MAX_EVIDENCE_BYTES) break;
      bytes += size;
      first--;
    }
    return { events: events.slice(first), complete: complete && first === 0 };
  }

  function dispatch(signal) {
    for (const fn of handlers.stage_changed) {
      try { fn(signal); } catch (error) { warn(`a stage_changed handler failed: ${error && error.message}`); }
    }
    try { document.dispatchEvent(new CustomEvent('mqlscore:stage_changed', { detail: signal })); } catch { /* old browsers */ }
    // Tag managers pass on what they get: the signal without its evidence (events, traits), unless
    // the site asks for it with data-datalayer="evidence".
    const { evidence: omitted, ...withoutEvidence } = signal;
    if (Array.isArray(window.dataLayer)) {
      window.dataLayer.push({ event: 'mqlscore.stage_changed', mqlscore: dataLayerEvidence ? signal : withoutEvidence });
    }
  }

  function announce(changes) {
    if (changes.length === 0) return;
    for (const change of changes) announced.add(`${change.from}>${change.to}`);
    const evidence = readEvidence();
    const previous = storage.getItem(KEYS.previous) || undefined;
    let id;
    for (const change of changes) {
      const signal = { ...change, id: id = randomId(), site, rules_hash: rulesHash, previous, evidence: evidence.events,
        evidence_complete: evidence.complete };
      if (transport) transport.enqueue(signal); else if (endpoint) outbox.add(signal);
      // Before consent the visitor is a throwaway one, in memory: the page hears of it only once it is real.
      if (consented) dispatch(signal);
    }
    // Chained verification (docs/signals.md): the next signal names this one and carries only the
    // events after it; the endpoint replays them from the state this one's evidence left. Before
    // consent every signal carries the whole history: a returning visitor's page scores it again.
    if (consented) {
      for (const key of evidenceKeys()) storage.removeItem(key);
      storage.setItem(KEYS.previous, id);
    }
  }

  // Every event carries the page's URL and referrer: each is redacted when it changes, not per
  // event (on a page with a query string that halved the cost of an event in Chromium).
  const lastRedacted = () => {
    let href = null;
    let redacted = null;
    return (next) => (next === href ? redacted : (redacted = redactUrl(href = next)));
  };
  const pageUrl = lastRedacted();
  const referrerUrl = lastRedacted();

  syncFromStorage();
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  window.addEventListener('pagehide', flush);

  // Moves the visitor between localStorage (consent) and memory (none).
  function switchStorage(granted, next) {
    flush();
    const returning = granted ? next.getItem(KEYS.visitor) : null;
    // A visitor who consented on an earlier page goes on as that visitor: this page's events,
    // scored in memory for a visitor without a past, are scored again on top of the stored
    // state, and the memory outbox's signals (about that visitor without a past) are not sent.
    const rescore = returning ? compactEvidence().events.map((event) => JSON.stringify(event)) : [];
    const waiting = granted && !returning ? outbox.peek() : [];
    if (granted && !returning) {  // keep what was scored so far
      next.setItem(KEYS.visitor, visitorId);
      for (const key of storedKeys()) {
        const value = storage.getItem(key);
        if (value !== null) next.setItem(key, value);
      }
      knownState = JSON.stringify(visitor.snapshot());
      next.setItem(KEYS.state, knownState);
    }
    storage = next;
    outbox = createOutbox(storage);
    waiting.forEach((signal) => outbox.add(signal));
    consented = granted;
    startTransport();
    if (returning) {
      startVisitor(returning);
      syncFromStorage();
      for (const text of rescore) {
        const outcome = visitor.track(JSON.parse(text));
        if (!outcome.ok) continue;
        pending.push(text);
        announce(outcome.signals);
      }
      flush();
    }
  }

  const widget = {
    track(type, fields) {
      // Only the traits the track section lets leave the browser are scored, stored and sent.
      if (type === 'identify' && settings.traits !== true) {
        fields = { ...fields, traits: Object.fromEntries(Object.entries(fields.traits || {}).filter(([name]) => (settings.traits || []).includes(name))) };
      }
      const event = { ...fields, type, ts: Date.now(), url: pageUrl(window.location.href),
        referrer: document.referrer ? referrerUrl(document.referrer) : undefined, title: redactText(document.title) || undefined };
      if (fields.url) event.url = redactUrl(String(fields.url));
      syncFromStorage();
      // The core scores this text read back by JSON.parse, not the object: what is stored and
      // sent as evidence is then exactly what was scored (JSON drops undefined, calls toJSON, ...).
      // Parsed here rather than handed over as text, which cost more per event in Chromium
      // (scripts/bench-widget, same session: 26-27 µs against 29-53 µs).
      const text = withoutLoneSurrogates(JSON.stringify(event));
      const outcome = visitor.track(JSON.parse(text));
      if (!outcome.ok) { warn(`event not scored: ${outcome.error}`); return; }
      pending.push(text);
      if (flushTimer === null) flushTimer = setTimeout(flush, 250);
      announce(outcome.signals);
    },
    score() {
      syncFromStorage();
      return visitor.scores(Date.now());
    },
    reset() {
      pending = [];
      for (const key of [KEYS.visitor, ...storedKeys()]) storage.removeItem(key);
      startVisitor(randomId());
      storage.setItem(KEYS.visitor, visitorId);
    },
    setConsent(granted) {
      const next = granted ? persistent() : memoryOnly;
      if (next !== storage) switchStorage(granted, next);
      if (!granted) forgetStored(persistent());
    },
    enableTracking() {
      const env = { window, document, settings, emit: (type, fields) => widget.track(type, fields),
        endpoint: endpoint && new URL(endpoint, document.baseURI).href };
      const scroll = scrolling(env);
      const engaged = engagedTime(env);
      const views = pageViews({ window, emit: (type, fields) => { scroll.reset(); engaged.reset(); widget.track(type, fields); } });
      // A setting that is false turns its module off.
      const on = [(settings.ctas || settings.downloads) && clicks(env), settings.forms && forms(env),
        settings.scroll && scroll, settings.engaged_seconds && engaged, settings.page_views && views];
      for (const module of on) if (module) module.enable();
      window.addEventListener('pagehide', () => { if (transport) transport.onPageHide(); });
    },
  };
  startTransport();
  return widget;
}

try {
  // A type="module" tag has no currentScript: the tag is then found by what it carries.
  start(document.currentScript || document.querySelector('script[src][data-rules],script[src][data-endpoint]'));
} catch (error) {
  warn(`inactive: ${error && error.message}`);
}
