import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRACK, downloadFor, newMarks, redactText, redactUrl, trackSettings, withoutLoneSurrogates } from '../src/payloads.js';

test('downloads are links whose file name ends in one of the extensions, in any case', () => {
  const extensions = DEFAULT_TRACK.downloads;
  assert.equal(downloadFor('https://acme.test/files/State%20of%20B2B.PDF?v=2#page=3', extensions), 'State of B2B.PDF');
  assert.equal(downloadFor('/files/price-list.xlsx', extensions), 'price-list.xlsx');
  assert.equal(downloadFor('/files/100%.csv', extensions), '100%.csv');
  assert.equal(downloadFor('/files/notes.txt', extensions), null);
  assert.equal(downloadFor('/pricing', extensions), null);
  assert.equal(downloadFor('/files/.pdf', extensions), null);
  assert.equal(downloadFor('http://[bad', extensions), null);
});

test('query values that look like e-mail addresses are redacted, everything else is kept', () => {
  assert.equal(redactUrl('https://acme.test/?email=ann%40northwind.com&utm_source=x#top'),
    'https://acme.test/?email=redacted&utm_source=x#top');
  assert.equal(redactUrl('https://acme.test/?to=ann+b@northwind.com'), 'https://acme.test/?to=redacted');
  assert.equal(redactUrl('https://acme.test/?q=%E0%A4%A&plan=team'), 'https://acme.test/?q=%E0%A4%A&plan=team');
  assert.equal(redactUrl('https://acme.test/pricing#ann@northwind.com'), 'https://acme.test/pricing#ann@northwind.com');
  assert.equal(redactUrl('https://acme.test/app?x=1#/signup?email=ann%40northwind.com&step=2'),
    'https://acme.test/app?x=1#/signup?email=redacted&step=2');
  assert.equal(redactUrl('https://acme.test/#/signup?email=ann@northwind.com'), 'https://acme.test/#/signup?email=redacted');
});

const anySelector = () => true;

test('the track section overrides the defaults; false turns a module off, true keeps its default', () => {
  const warnings = [];
  const warn = (w) => warnings.push(w);
  assert.deepEqual(trackSettings(undefined, warn, anySelector), DEFAULT_TRACK);
  assert.deepEqual(trackSettings({ downloads: ['.PDF', 'epub'], scroll: [25, 100], engaged_seconds: [], ctas: { demo: 'a.demo' } }, warn, anySelector), {
    ...DEFAULT_TRACK, downloads: ['pdf', 'epub'], scroll: [25, 100], engaged_seconds: [], ctas: { demo: 'a.demo' },
  });
  assert.deepEqual(trackSettings({ page_views: false, ctas: false, forms: false, downloads: false, scroll: false, engaged_seconds: false, traits: false }, warn, anySelector), {
    page_views: false, ctas: false, forms: false, downloads: false, scroll: false, engaged_seconds: false, traits: false,
  });
  assert.deepEqual(trackSettings({ traits: ['email', 'company'] }, warn, anySelector), { ...DEFAULT_TRACK, traits: ['email', 'company'] });
  assert.deepEqual(trackSettings({ page_views: true, forms: true, scroll: true, 'x-note': 'scroll marks for the long pages' }, warn, anySelector), DEFAULT_TRACK);
  assert.deepEqual(warnings, []);
});

test('an unknown setting or a value of the wrong kind costs one warning naming it, and the default stays', () => {
  const warnings = [];
  const settings = trackSettings({ scrolls: [10], scroll: [25, 'x'], engaged_seconds: 'often', ctas: [], forms: { a: 1 },
    downloads: ['pdf', 3], page_views: 'no', traits: 'email' }, (w) => warnings.push(w), anySelector);
  assert.deepEqual(settings, DEFAULT_TRACK);
  assert.deepEqual(warnings, [
    'track.scrolls is not a setting (page_views, ctas, forms, downloads, scroll, engaged_seconds, traits); ignored',
    'track.scroll must be false or a list of percentages, not [25,"x"]; using the default',
    'track.engaged_seconds must be false or a list of seconds, not "often"; using the default',
    'track.ctas must be false or an object of CSS selectors, not []; using the default',
    'track.forms must be false or an object of CSS selectors, not {"a":1}; using the default',
    'track.downloads must be false or a list of file extensions, not ["pdf",3]; using the default',
    'track.page_views must be true or false, not "no"; using the default',
    'track.traits must be false or a list of trait names, not "email"; using the default',
  ]);
  trackSettings({ scroll: [0], engaged_seconds: [-5] }, (w) => warnings.push(w), anySelector);
  assert.equal(warnings.length, 10);
  trackSettings({ scroll: [101] }, (w) => warnings.push(w), anySelector);
  assert.equal(warnings.length, 11);
});

test('a CTA or form whose selector the browser refuses is named in a warning and left out; the others stay', () => {
  const warnings = [];
  const parses = (selector) => !selector.includes('[') || selector.includes(']');
  const settings = trackSettings({ ctas: { demo: 'a.demo', broken: 'a[href' }, forms: { quote: 'form[name' } },
    (w) => warnings.push(w), parses);
  assert.deepEqual(settings.ctas, { demo: 'a.demo' });
  assert.deepEqual(settings.forms, {});
  assert.deepEqual(warnings, ['track.ctas.broken: "a[href" is not a CSS selector; ignored',
    'track.forms.quote: "form[name" is not a CSS selector; ignored']);
});

test('each mark is reported once, in ascending order, when first reached', () => {
  const done = new Set();
  assert.deepEqual(newMarks(40, [90, 50, 25], done), [25]);
  assert.deepEqual(newMarks(100, [90, 50, 25], done), [50, 90]);
  assert.deepEqual(newMarks(100, [90, 50, 25], done), []);
});

test('lone surrogates become U+FFFD; pairs, escaped backslashes and other escapes stay', () => {
  const cut = 'Book a demo \u{1F4C5}'.slice(0, -1);  // half of the emoji
  const json = JSON.stringify({ text: cut, [cut]: 1, ok: '\u{1F4C5}', path: 'C:\\ud83d', tab: '\t' });
  assert.deepEqual(JSON.parse(withoutLoneSurrogates(json)),
    { text: 'Book a demo \uFFFD', 'Book a demo \uFFFD': 1, ok: '\u{1F4C5}', path: 'C:\\ud83d', tab: '\t' });
});

test('e-mail addresses in the URL path are redacted like those in the query', () => {
  assert.equal(redactUrl('https://acme.test/users/ann@northwind.com/settings?tab=1'), 'https://acme.test/users/redacted/settings?tab=1');
  assert.equal(redactUrl('https://acme.test/u/ann%40northwind.com'), 'https://acme.test/u/redacted');
  assert.equal(redactUrl('https://acme.test/u/ann%40northwind.com?email=b@c.de#x'), 'https://acme.test/u/redacted?email=redacted#x');
  assert.equal(redactUrl('https://acme.test/@acme/news'), 'https://acme.test/@acme/news');
  assert.equal(redactUrl('https://acme.test:8443/a/b'), 'https://acme.test:8443/a/b');
});

test('e-mail addresses in text (a page title, a CTA) are redacted', () => {
  assert.equal(redactText('Welcome back, ann.lee+news@northwind.co.uk!'), 'Welcome back, redacted!');
  assert.equal(redactText('Mail (ann@northwind.com) or bob@x.io'), 'Mail (redacted) or redacted');
  assert.equal(redactText('Pricing @ Acme: 2 plans'), 'Pricing @ Acme: 2 plans');
});
