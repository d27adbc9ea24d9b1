// Pure builders for autotracked events: what a click, a form, a scroll or a URL means in terms of
// the rules contract's fields. No DOM access beyond the elements handed in.

export const DEFAULT_TRACK = {
  page_views: true,
  ctas: {},
  forms: {},
  downloads: ['pdf', 'docx', 'pptx', 'xlsx', 'zip', 'csv'],
  scroll: [50, 90],
  engaged_seconds: [30, 120],
  traits: true,
};

const selectors = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');
const listOf = (item) => (v) => Array.isArray(v) && v.every(item);
const positive = (n) => typeof n === 'number' && n > 0;
// Each setting's test and what it may be; `false` turns its module off, `true` keeps the default.
const SETTINGS = {
  page_views: [() => false, 'true or false'],
  ctas: [selectors, 'false or an object of CSS selectors'],
  forms: [selectors, 'false or an object of CSS selectors'],
  downloads: [listOf((e) => typeof e === 'string'), 'false or a list of file extensions'],
  scroll: [listOf((n) => positive(n) && n <= 100), 'false or a list of percentages'],
  engaged_seconds: [listOf(positive), 'false or a list of seconds'],
  traits: [listOf((t) => typeof t === 'string'), 'false or a list of trait names'],
};

/**
 * The widget's settings: the rules file's `track` section over the defaults. A setting it does not
 * know or a value of the wrong kind costs one warning and is ignored (x- keys are notes), and so
 * does each CTA or form whose selector `isSelector` (the browser's parser) refuses.
 * `mqlscore validate` gives the same warnings (cli/track_settings.h).
 */
export function trackSettings(track, warn, isSelector) {
  const settings = { ...DEFAULT_TRACK };
  for (const [key, value] of Object.entries(track || {})) {
    const [valid, expected] = SETTINGS[key] || [];
    if (!valid) {
      if (!key.startsWith('x-')) warn(`track.${key} is not a setting (${Object.keys(SETTINGS).join(', ')}); ignored`);
    } else if (value === false || valid(value)) {
      settings[key] = value;
    } else if (value !== true) {
      warn(`track.${key} must be ${expected}, not ${JSON.stringify(value)}; using the default`);
    }
  }
  if (settings.downloads) settings.downloads = settings.downloads.map((e) => e.toLowerCase().replace(/^\./, ''));
  for (const key of ['ctas', 'forms']) {
    if (settings[key]) {
      settings[key] = Object.fromEntries(Object.entries(settings[key]).filter(([id, selector]) => {
        if (!isSelector(selector)) warn(`track.${key}.${id}: ${JSON.stringify(selector)} is not a CSS selector; ignored`);
        return isSelector(selector);
      }));
    }
  }
  return settings;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const EMAILS = /[^\s@<>()[\]"',;:]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;

/** `text` with everything that looks like an e-mail address replaced (a page title, a CTA's text). */
export const redactText = (text) => text.replace(EMAILS, 'redacted');

// Whether a URL's part (percent-encoded) looks like an e-mail address. `+` is kept, not read as
// a space: unencoded, it is plus addressing (ann+news@...).
function isEmail(raw) {
  let value;
  try { value = decodeURIComponent(raw); } catch { value = raw; }
  return EMAIL.test(value.trim());
}

// "path?query" with e-mail addresses in the query's values and, with `path`, in its segments
// ("/users/ann@northwind.com/settings") redacted.
function redactPart(text, path) {
  const question = text.indexOf('?');
  const before = question < 0 ? text : text.slice(0, question);
  const query = question < 0 ? '' : `?${text.slice(question + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 && isEmail(pair.slice(eq + 1)) ? `${pair.slice(0, eq + 1)}redacted` : pair;
  }).join('&')}`;
  return (path ? before.split('/').map((segment, i) => (i > 2 && isEmail(segment) ? 'redacted' : segment)).join('/') : before) + query;
}

/**
 * The URL with e-mail addresses in its path and its query's values replaced, so they never leave
 * the page; also in a query inside the fragment, where hash-routed single-page apps keep theirs.
 * REQUIRES: an absolute URL (scheme://host/...), as location.href and document.referrer are.
 */
export function redactUrl(href) {
  const hash = href.indexOf('#');
  if (hash < 0) return redactPart(href, true);
  return `${redactPart(href.slice(0, hash), true)}#${redactPart(href.slice(hash + 1), false)}`;
}

/**
 * [CTA id, CTA element] for a click on `target`: data-mql-cta on it or an ancestor, else
 * track.ctas selectors (which trackSettings checked); null for no CTA.
 */
export function ctaFor(target, ctas) {
  if (!target || typeof target.closest !== 'function') return null;
  const marked = target.closest('[data-mql-cta]');
  if (marked) return marked.getAttribute('data-mql-cta') ? [marked.getAttribute('data-mql-cta'), marked] : null;
  for (const [id, selector] of Object.entries(ctas)) {
    const element = target.closest(selector);
    if (element) return [id, element];
  }
  return null;
}

/** The form id for a submitted form: data-mql-form, else track.forms selectors. */
export function formFor(form, forms) {
  if (!form || typeof form.getAttribute !== 'function') return null;
  const marked = form.getAttribute('data-mql-form');
  if (marked) return marked;
  for (const [id, selector] of Object.entries(forms)) {
    if (form.matches(selector)) return id;
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
