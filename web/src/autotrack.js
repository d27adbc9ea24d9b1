// Autotracking: one module per behaviour, wiring DOM events to the pure builders of payloads.js;
// the widget enables those the rules file's track section leaves on. emit(type, fields) hands the
// event to the widget. Listeners are passive and never stop or delay the page's own handling of a
// click or a submit.
import { ctaFor, downloadFor, formFor, newMarks, redactText } from './payloads.js';

// Runs a handler so that an exception in the widget can never reach the host page.
const guarded = (fn) => (...args) => {
  try { fn(...args); } catch (error) { console.warn(`mqlscore: ${error && error.message}`); }
};

/** page_view on load and on SPA navigation (pushState, replaceState, popstate). */
export function pageViews({ window, emit }) {
  let last = null;
  const view = guarded(() => {
    // Same URL again (replaceState, or a #fragment jump, which also fires popstate) is not a new page.
    const href = window.location.href.split('#')[0];
    if (href === last) return;
    last = href;
    emit('page_view', {});
  });
  return {
    enable() {
      for (const name of ['pushState', 'replaceState']) {
        const original = window.history[name];
        window.history[name] = function patched(...args) {
          const result = original.apply(this, args);
          // After the page's own task: the title it sets right after pushState is the new page's.
          setTimeout(view, 0);
          return result;
        };
      }
      window.addEventListener('popstate', view);
      view();
    },
  };
}

/** cta_click for data-mql-cta elements and track.ctas selectors; download for file links. */
export function clicks({ document, settings, emit }) {
  return {
    enable() {
      document.addEventListener('click', guarded((event) => {
        const cta = settings.ctas && ctaFor(event.target, settings.ctas);
        if (cta) emit('cta_click', { cta: cta[0], text: redactText((cta[1].textContent || '').trim()).slice(0, 100) });
        const link = settings.downloads && event.target && event.target.closest ? event.target.closest('a[href]') : null;
        const file = link ? downloadFor(link.href, settings.downloads) : null;
        if (file) emit('download', { file });
      }), { capture: true, passive: true });
    },
  };
}

/**
 * form_submit for data-mql-form forms and track.forms selectors. A submit the page cancels counts
 * only when the page starts a request of its own (fetch, XMLHttpRequest or sendBeacon to anything
 * but `endpoint`, the widget's) within a second, answered within 30 s: a single-page app posting
 * the form. A cancel with nothing sent (the page's validation refused it, say) is no submission.
 */
export function forms({ window, document, settings, emit, endpoint }) {
  return {
    enable() {
      document.addEventListener('submit', guarded((event) => {
        const form = formFor(event.target, settings.forms);
        const submitted = () => emit('form_submit', { form });
        // After the page's own handlers: they run after this capturing listener.
        if (form) setTimeout(guarded(() => {
          if (!event.defaultPrevented) return submitted();
          const observer = new window.PerformanceObserver(guarded((list) => {
            if (list.getEntries().some((entry) => entry.startTime - event.timeStamp < 1000 && entry.startTime >= event.timeStamp && entry.name !== endpoint
              && /^(fetch|xmlhttprequest|beacon)$/.test(entry.initiatorType))) {
              observer.disconnect();
              submitted();
            }
          }));
          observer.observe({ type: 'resource', buffered: true });
          setTimeout(() => observer.disconnect(), 30000);
        }));
      }), { capture: true, passive: true });
    },
  };
}

/** scroll at the track.scroll marks (percent of the page), once per page view. */
export function scrolling({ window, document, settings, emit }) {
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
    enable() { window.addEventListener('scroll', onScroll, { passive: true }); },
    /** A new page (SPA navigation) starts its marks afresh. */
    reset() { done = new Set(); },
  };
}

/** engaged_time at the track.engaged_seconds marks, counting only while the tab is visible. */
export function engagedTime({ document, settings, emit, now = () => Date.now(), setInterval: every = setInterval }) {
  let seconds = 0;
  let since = null;
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
      every(tick, 1000);
      document.addEventListener('visibilitychange', tick);
    },
    reset() { seconds = 0; done = new Set(); since = visible() ? now() : null; },
  };
}
