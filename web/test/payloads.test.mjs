import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRACK, downloadFor, newMarks, redactUrl, trackSettings, withoutLoneSurrogates } from '../src/payloads.js';

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

test('the track section overrides the defaults; values of the wrong type are ignored', () => {
  assert.deepEqual(trackSettings(undefined), DEFAULT_TRACK);
  assert.deepEqual(trackSettings({ downloads: ['.PDF', 'epub', 3], scroll: [25, 'x', -5], engaged_seconds: 'often', ctas: [] }), {
    ...DEFAULT_TRACK, downloads: ['pdf', 'epub'], scroll: [25],
  });
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
