// Pure builders for autotracked events: what a click, a form, a scroll or a URL means in terms of
// the rules contract's fields. No DOM access beyond the elements handed in.

export const DEFAULT_TRACK = {
  ctas: {},
  forms: {},
  downloads: ['pdf', 'docx', 'pptx', 'xlsx', 'zip', 'csv'],
  scroll: [50, 90],
  engaged_seconds: [30, 120],
};

/** The widget's settings: the rules file's `track` section over the defaults, bad values ignored. */
export function trackSettings(track) {
  const t = track && typeof track === 'object' ? track : {};
  const object = (v, d) => (v && typeof v === 'object' && !Array.isArray(v) ? v : d);
  const numbers = (v, d) => (Array.isArray(v) ? v.filter((n) => typeof n === 'number' && n > 0) : d);
  return {
    ctas: object(t.ctas, DEFAULT_TRACK.ctas),
    forms: object(t.forms, DEFAULT_TRACK.forms),
    downloads: Array.isArray(t.downloads) ? t.downloads.filter((e) => typeof e === 'string').map((e) => e.toLowerCase().replace(/^\./, '')) : DEFAULT_TRACK.downloads,
    scroll: numbers(t.scroll, DEFAULT_TRACK.scroll),
    engaged_seconds: numbers(t.engaged_seconds, DEFAULT_TRACK.engaged_seconds),
  };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** `text` (the part of a URL after "?") with values that look like e-mail addresses replaced. */
function redactQuery(text) {
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    // `+` is kept, not read as a space: unencoded, it is plus addressing (ann+news@...).
    const raw = pair.slice(eq + 1);
    let value;
    try { value = decodeURIComponent(raw); } catch { value = raw; }
    return EMAIL.test(value.trim()) ? `${pair.slice(0, eq + 1)}redacted` : pair;
  }).join('&');
}

// "path?query" with the query redacted.
function redactAfterQuestionMark(text) {
  const question = text.indexOf('?');
  return question < 0 ? text : `${text.slice(0, question + 1)}${redactQuery(text.slice(question + 1))}`;
}

/**
 * The URL with query values that look like e-mail addresses replaced, so they never leave the
 * page; also in a query inside the fragment, where hash-routed single-page apps keep theirs.
 */
export function redactUrl(href) {
  const hash = href.indexOf('#');
  if (hash < 0) return redactAfterQuestionMark(href);
  return `${redactAfterQuestionMark(href.slice(0, hash))}#${redactAfterQuestionMark(href.slice(hash + 1))}`;
}

function safeMatches(element, selector) {
  try { return element.closest(selector); } catch { return null; }  // a bad selector in the rules
}

/** The CTA id for a click on `target`: data-mql-cta on it or an ancestor, else track.ctas selectors. */
export function ctaFor(target, ctas) {
  if (!target || typeof target.closest !== 'function') return null;
  const marked = target.closest('[data-mql-cta]');
  if (marked) return marked.getAttribute('data-mql-cta') || null;
  for (const [id, selector] of Object.entries(ctas)) {
    if (typeof selector === 'string' && safeMatches(target, selector)) return id;
  }
  return null;
}

/** The form id for a submitted form: data-mql-form, else track.forms selectors. */
export function formFor(form, forms) {
  if (!form || typeof form.getAttribute !== 'function') return null;
  const marked = form.getAttribute('data-mql-form');
  if (marked) return marked;
  for (const [id, selector] of Object.entries(forms)) {
    if (typeof selector === 'string') {
      try { if (form.matches(selector)) return id; } catch { /* bad selector */ }
    }
  }
  return null;
}

/** The file name when `href` points at a file with one of `extensions`, else null. */
export function downloadFor(href, extensions) {
  let path;
  try { path = new URL(href, 'https://relative.invalid/').pathname; } catch { return null; }
  const raw = path.split('/').pop() || '';
  let name;
  try { name = decodeURIComponent(raw); } catch { name = raw; }  // a stray % in the link
  const dot = name.lastIndexOf('.');
  return dot > 0 && extensions.includes(name.slice(dot + 1).toLowerCase()) ? name : null;
}

/** Marks newly reached at `value` (percent scrolled, seconds engaged), ascending; adds them to `done`. */
export function newMarks(value, marks, done) {
  const reached = marks.filter((mark) => value >= mark && !done.has(mark)).sort((a, b) => a - b);
  for (const mark of reached) done.add(mark);
  return reached;
}

/**
 * JSON.stringify's text with every lone surrogate (half an emoji, cut by a slice) as U+FFFD.
 * JSON.stringify writes those as \udxxx escapes, which the core refuses natively: the endpoint
 * re-scores the evidence there.
 */
export function withoutLoneSurrogates(json) {
  return json.replace(/\\\\|\\ud[89a-f][0-9a-f]{2}/g, (match) => (match.length === 2 ? match : '\\ufffd'));
}
