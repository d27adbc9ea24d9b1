// Autotracking: one module per behaviour, each with enable() and disable(), wiring DOM events to
// the pure builders of payloads.js. emit(type, fields) hands the event to the widget. Listeners
// are passive and never stop or delay the page's own handling of a click or a submit.
import { ctaFor, downloadFor, formFor, newMarks } from './payloads.js';

function listen(target, type, handler, options) {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

// Runs a handler so that an exception in the widget can never reach the host page.
const guarded = (fn) => (...args) => {
  try { fn(...args); } catch (error) { console.warn(`mqlscore: ${error && error.message}`); }
};

/** page_view on load and on SPA navigation (pushState, replaceState, popstate). */
export function pageViews({ window, emit }) {
  let off = [];
  let last = null;
  const view = guarded(() => {
    // Same URL again (replaceState, or a #fragment jump, which also fires popstate) is not a new page.
    const href = window.location.href.split('#')[0];
    if (href === last) return;
    last = href;
    emit('page_view', {});
  });
  const originals = {};
  return {
    enable() {
      for (const name of ['pushState', 'replaceState']) {
        const original = window.history[name];
        originals[name] = original;
        window.history[name] = function patched(...args) {
          const result = original.apply(this, args);
          view();
          return result;
        };
      }
      off.push(listen(window, 'popstate', view));
      view();
    },
    disable() {
      for (const [name, original] of Object.entries(originals)) window.history[name] = original;
      off.forEach((f) => f());
      off = [];
    },
  };
}

/** cta_click for data-mql-cta elements and track.ctas selectors; download for file links. */
export function clicks({ document, settings, emit }) {
  let off = null;
  return {
    enable() {
      off = listen(document, 'click', guarded((event) => {
        const cta = ctaFor(event.target, settings.ctas);
        if (cta) emit('cta_click', { cta, text: (event.target.textContent || '').trim().slice(0, 100) });
        const link = event.target && event.target.closest ? event.target.closest('a[href]') : null;
        const file = link ? downloadFor(link.href, settings.downloads) : null;
        if (file) emit('download', { file });
      }), { capture: true, passive: true });
    },
    disable() { if (off) off(); off = null; },
  };
}

/** form_submit for data-mql-form forms and track.forms selectors. */
export function forms({ document, settings, emit }) {
  let off = null;
  return {
    enable() {
      off = listen(document, 'submit', guarded((event) => {
        const form = formFor(event.target, settings.forms);
        if (form) emit('form_submit', { form });
      }), { capture: true, passive: true });
    },
    disable() { if (off) off(); off = null; },
  };
}

/** scroll at the track.scroll marks (percent of the page), once per page view. */
export function scrolling({ window, document, settings, emit }) {
  let off = [];
  let done = new Set();
  let scheduled = false;
  const check = guarded(() => {
    scheduled = false;
    const root = document.documentElement;
    const height = Math.max(root.scrollHeight - window.innerHeight, 0);
    const percent = height === 0 ? 100 : Math.round((window.scrollY / height) * 100);
    for (const mark of newMarks(percent, settings.scroll, done)) emit('scroll', { percent: mark });
  });
  // Reading the page's height can force a layout: at most once a frame, not on every scroll event.
  const onScroll = () => {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(check);
  };
  return {
    enable() { off.push(listen(window, 'scroll', onScroll, { passive: true })); },
    /** A new page (SPA navigation) starts its marks afresh. */
    reset() { done = new Set(); },
    disable() { off.forEach((f) => f()); off = []; },
  };
}

/** engaged_time at the track.engaged_seconds marks, counting only while the tab is visible. */
export function engagedTime({ document, settings, emit, now = () => Date.now(), setInterval: every = setInterval, clearInterval: stop = clearInterval }) {
  let seconds = 0;
  let since = null;
  let timer = null;
  let off = null;
  let done = new Set();
  const visible = () => document.visibilityState !== 'hidden';
  const tick = guarded(() => {
    if (since !== null) {
      seconds += (now() - since) / 1000;
      since = visible() ? now() : null;
    } else if (visible()) {
      since = now();
    }
    for (const mark of newMarks(Math.floor(seconds), settings.engaged_seconds, done)) emit('engaged_time', { seconds: mark });
  });
  return {
    enable() {
      since = visible() ? now() : null;
      timer = every(tick, 1000);
      off = listen(document, 'visibilitychange', tick);
    },
    reset() { seconds = 0; done = new Set(); since = visible() ? now() : null; },
    disable() { if (timer !== null) stop(timer); if (off) off(); timer = null; off = null; },
  };
}
