// The widget in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) against
// the test site and capturing endpoint of server.mjs. Needs `scripts/build-widget` first.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { startServer } from './server.mjs';

let site;
let browser;
const FIT = { employees: 500, industry: 'software', country: 'US', title: 'VP Marketing', email: 'ann@northwind.com' };

before(async () => {
  site = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  site?.server.close();
});
beforeEach(() => Object.assign(site.state, { status: 200, rules: null, batches: [], headers: {}, wasm404: false, requests: {} }));

async function open(context, path, page = null) {
  page = page || await context.newPage();
  const warnings = [];
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url + path);
  await page.waitForFunction(() => window.mqlscore && window.mqlscore.ready);
  await page.evaluate(() => window.mqlscore.ready);
  return { page, warnings, errors };
}

const score = (page) => page.evaluate(() => window.mqlscore.score());
// { ruleId: points rounded } from the page's score() reasons.
const pointsByRule = async (page) => Object.fromEntries((await score(page)).reasons.map((r) => [r.rule, Math.round(r.points)]));
const signals = () => site.state.batches.flatMap((b) => b.signals);

async function waitFor(predicate, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function qualify(page) {
  await page.evaluate((traits) => window.mqlscore.identify(traits), FIT);
  await page.click('#demo-cta');
  await page.click('#submit');
  // The form cancels its submit and sends itself: it counts once that request has answered.
  await page.waitForFunction(() => (window.mqlscore.score() || {}).stage === 'mql');
}

test('page views, SPA navigation, CTA clicks, downloads and forms are scored', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/');
  await page.click('#spa');                  // pushState to /pricing/team: a pricing page view
  await page.click('#demo-cta');             // data-mql-cta="book-demo"
  await page.evaluate(() => document.getElementById('whitepaper').click());
  await page.click('#submit');               // data-mql-form="demo-request"
  // The form cancels its submit and sends itself: it counts once that request has answered.
  await page.waitForFunction(() => ((window.mqlscore.score() || {}).reasons || []).some((r) => r.rule === 'demo-request'));
  const scores = await score(page);
  const rules = Object.fromEntries(scores.reasons.map((r) => [r.rule, Math.round(r.points)]));  // decay: 14.999999
  assert.equal(rules['pricing-page'], 15);
  assert.equal(rules['book-demo-click'], 15);
  assert.equal(rules['whitepaper'], 12);
  assert.equal(rules['demo-request'], 50);
  assert.equal(await page.textContent('#done'), 'sent');  // the page's own submit handler ran
  assert.deepEqual(errors, []);
  await context.close();
});

// The events the widget has stored for evidence.
const storedEvents = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mqlscore:events:')).sort()
  .flatMap((k) => JSON.parse(localStorage.getItem(k))));

// The events the widget scored for this page's visitor (stored 250 ms after the first change),
// oldest first: those its signals carried as evidence (sent, or waiting in the outbox), link by
// link of their chain, then those stored for its next signal.
async function scoredEvents(page) {
  await page.waitForTimeout(400);
  const { visitor, outbox } = await page.evaluate(() => ({ visitor: localStorage.getItem('mqlscore:visitor'),
    outbox: JSON.parse(localStorage.getItem('mqlscore:outbox') || '[]') }));
  const raised = [...signals(), ...outbox].filter((signal) => signal.visitor === visitor);
  const carried = [];
  // One stage change's signals share `previous` and evidence; the next names one of them.
  for (let group = raised.filter((s) => s.previous === undefined); group.length > 0;) {
    carried.push(...group[0].evidence);
    const ids = new Set(group.map((s) => s.id));
    group = raised.filter((s) => ids.has(s.previous));
  }
  return [...carried, ...await storedEvents(page)];
}

async function rulesWith(changes) {
  const rules = JSON.parse(await readFile(new URL('../../../examples/b2b-saas.rules.json', import.meta.url), 'utf8'));
  return JSON.stringify({ ...rules, ...changes, rules: [...rules.rules, ...(changes.rules || [])] });
}

async function scrollTo(page, fraction) {
  await page.evaluate((f) => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * f), fraction);
  await page.waitForTimeout(150);
}

test('replaceState to a new URL and the back button are page views; the same URL again is not', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate(() => history.replaceState({}, '', '/product'));
  await page.evaluate(() => history.replaceState({ again: true }, '', '/product'));
  await page.evaluate(() => history.pushState({}, '', '/pricing'));
  await page.evaluate(() => { location.hash = 'plans'; });
  await page.goBack();  // to /pricing without the fragment: the same page
  await page.goBack();  // to /product
  const views = (await scoredEvents(page)).filter((e) => e.type === 'page_view').map((e) => new URL(e.url).pathname);
  assert.deepEqual(views, ['/', '/product', '/pricing', '/product']);
  await context.close();
});

test('scrolling past 50 and 90 percent is tracked once per page view by default', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await scrollTo(page, 0.6);
  await scrollTo(page, 0.3);
  await scrollTo(page, 1);
  await scrollTo(page, 0.95);
  let scrolls = (await scoredEvents(page)).filter((e) => e.type === 'scroll').map((e) => e.percent);
  assert.deepEqual(scrolls, [50, 90]);
  await page.click('#spa');  // a new page view starts its marks afresh
  await scrollTo(page, 0);
  await scrollTo(page, 1);
  scrolls = (await scoredEvents(page)).filter((e) => e.type === 'scroll').map((e) => e.percent);
  assert.deepEqual(scrolls, [50, 90, 50, 90]);
  await context.close();
});

test("the rules file's track section sets CTA and form selectors, download extensions, scroll and engaged-time marks", async () => {
  // Saved by an editor that writes a byte order mark.
  site.state.rules = '\ufeff' + await rulesWith({ track: {
    ctas: { 'see-plans': 'a.plans-link' }, forms: { newsletter: 'form.newsletter' }, downloads: ['txt'],
    scroll: [25, 75], engaged_seconds: [1, 2] } });
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/track');
  await page.click('#plans');
  await page.click('#subscribe');
  await page.click('#notes');
  await page.click('#guide');  // pdf is not in this site's list
  await scrollTo(page, 0.5);
  assert.ok(await waitFor(async () => (await scoredEvents(page)).some((e) => e.seconds === 2), 8000));
  const events = (await scoredEvents(page)).map(({ type, cta, form, file, percent, seconds }) =>
    JSON.stringify({ type, cta, form, file, percent, seconds }));
  assert.deepEqual(events, [
    { type: 'page_view' },
    { type: 'cta_click', cta: 'see-plans' },
    { type: 'form_submit', form: 'newsletter' },
    { type: 'download', file: 'release-notes.txt' },
    { type: 'scroll', percent: 25 },
    { type: 'engaged_time', seconds: 1 },
    { type: 'engaged_time', seconds: 2 },
  ].map((e) => JSON.stringify(e)));
  assert.equal(Math.round((await score(page)).reasons.find((r) => r.rule === 'newsletter').points), 5);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a submit the page cancels counts only when the page sends the form itself; a plain submit counts before the page goes', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/forms');
  // A request counts for the submit it follows within a second: a person's submits are further apart.
  for (const form of ['refused', 'fetched', 'beaconed']) {
    await page.click(`#${form}-submit`);
    await page.waitForTimeout(1100);
  }
  const submitted = async () => (await scoredEvents(page)).filter((e) => e.type === 'form_submit').map((e) => e.form);
  assert.ok(await waitFor(async () => (await submitted()).length === 2));
  await page.waitForTimeout(500);
  assert.deepEqual(await submitted(), ['demo-request', 'webinar-q3']);
  assert.equal(await page.getAttribute('#refused', 'data-refused'), 'yes', 'the refused submit did happen');
  await page.click('#native-submit');
  await page.waitForURL('**/pricing?');
  await page.evaluate(() => window.mqlscore.ready);
  assert.deepEqual(await submitted(), ['demo-request', 'webinar-q3', 'contact-sales']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('false in the track section turns a module off; an unknown setting is named in one warning', async () => {
  site.state.rules = await rulesWith({ track: { page_views: false, ctas: false, downloads: false, scroll: false,
    engaged_seconds: false, forms: { newsletter: 'form.newsletter' }, scrolls: [10] } });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install();  // engaged time's marks (30 and 120 seconds by default) in no time
  const { warnings, errors } = await open(context, '/track', page);
  await page.click('#sales');
  await page.click('#plans');
  await page.click('#guide');
  await page.evaluate(() => window.history.pushState({}, '', '/track/next'));
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.clock.runFor(130 * 1000);
  await page.click('#subscribe');
  await page.clock.runFor(1000);  // the events are stored 250 ms after the first change
  const events = await storedEvents(page);
  assert.deepEqual(events.map((e) => `${e.type} ${e.form}`), ['form_submit newsletter']);
  assert.deepEqual(mqlscoreWarnings(warnings), [
    'mqlscore: track.scrolls is not a setting (page_views, ctas, forms, downloads, scroll, engaged_seconds, traits); ignored']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a CTA selector the browser cannot parse is named in one warning; the other CTAs are tracked', async () => {
  site.state.rules = await rulesWith({ track: { page_views: false, scroll: false, engaged_seconds: false,
    ctas: { broken: 'a.plans-link >', 'see-plans': 'a.plans-link' } } });
  const context = await browser.newContext();
  const { page, warnings, errors } = await open(context, '/track');
  await page.click('#plans');
  const events = await scoredEvents(page);
  assert.deepEqual(events.map((e) => `${e.type} ${e.cta}`), ['cta_click see-plans']);
  assert.deepEqual(mqlscoreWarnings(warnings), ['mqlscore: track.ctas.broken: "a.plans-link >" is not a CSS selector; ignored']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('rules inline in the page are used when the script has no data-rules', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/inline');
  await page.click('#cta');
  const scores = await score(page);
  assert.equal(scores.stage, 'mql');
  assert.deepEqual(scores.reasons.map((r) => r.rule), ['any-cta']);
  await context.close();
});

test('every event carries the page URL, with its UTM parameters, and the referrer', async () => {
  site.state.rules = await rulesWith({ rules: [
    { id: 'spring-campaign-cta', on: 'cta_click', if: { 'utm.campaign': 'spring' }, points: 1 }] });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/?utm_source=newsletter&utm_medium=email&utm_campaign=spring`, { referer: 'https://news.example.org/issue-12' });
  await page.evaluate(() => window.mqlscore.ready);
  await page.click('#spa');       // to /pricing/team: no UTM parameters in this URL
  await page.click('#demo-cta');
  const events = await scoredEvents(page);
  assert.deepEqual(events.map((e) => e.type), ['video_play', 'page_view', 'page_view', 'cta_click']);
  for (const event of events) assert.equal(event.referrer, 'https://news.example.org/issue-12');
  assert.equal(events[1].url, `${site.url}/?utm_source=newsletter&utm_medium=email&utm_campaign=spring`);
  assert.equal(events[3].url, `${site.url}/pricing/team`);
  const rules = (await score(page)).reasons.map((r) => r.rule);
  assert.ok(rules.includes('email-campaign'));
  assert.ok(rules.includes('spring-campaign-cta'), 'the campaign sticks to the session');
  await context.close();
});

test('text cut in the middle of an emoji is scored and stored with U+FFFD in its place', async () => {
  const context = await browser.newContext();
  const { page, warnings } = await open(context, '/pricing');
  await page.evaluate(() => window.mqlscore.track('video_play', { props: { video: 'Demo \u{1F4C5}'.slice(0, -1) } }));
  const stored = (await scoredEvents(page)).find((e) => e.type === 'video_play');
  assert.equal(stored.props.video, 'Demo \uFFFD');
  assert.deepEqual(mqlscoreWarnings(warnings), []);
  await context.close();
});

test('reaching MQL sends the signal to the endpoint exactly once, and the score survives a reload', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  await page.evaluate((traits) => window.mqlscore.identify(traits), FIT);
  await page.goto(site.url + '/');
  await page.evaluate(() => window.mqlscore.ready);
  await page.evaluate(() => {
    window.seen = { events: [], handlers: [] };
    window.dataLayer = [];
    document.addEventListener('mqlscore:stage_changed', (e) => window.seen.events.push(e.detail.to));
    window.mqlscore.on('stage_changed', (signal) => window.seen.handlers.push(signal.to));
  });
  await qualify(page);
  assert.equal((await score(page)).stage, 'mql');
  const seen = await page.evaluate(() => ({ ...window.seen, dataLayer: window.dataLayer.map((d) => d.event + ':' + d.mqlscore.to) }));
  assert.ok(seen.events.includes('mql'));
  assert.ok(seen.handlers.includes('mql'));
  assert.ok(seen.dataLayer.includes('mqlscore.stage_changed:mql'));
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql')));
  await new Promise((r) => setTimeout(r, 1000));
  const mql = signals().filter((s) => s.to === 'mql');
  assert.equal(mql.length, 1);
  assert.equal(site.state.batches[0].site, 'acme');
  assert.match(mql[0].id, /^[0-9a-f-]{32,36}$/);
  assert.equal(mql[0].rules_hash.length, 16);
  assert.ok(mql[0].evidence.some((e) => e.type === 'form_submit'));
  assert.ok((await scoredEvents(page)).some((e) => e.type === 'video_play'), 'the stub queue was replayed');
  await page.evaluate(() => window.mqlscore.push(['track', 'webinar_view', {}], ['no_such_method']));
  assert.ok((await scoredEvents(page)).some((e) => e.type === 'webinar_view'), 'push() after load runs the call');
  await page.reload();
  await page.evaluate(() => window.mqlscore.ready);
  assert.equal((await score(page)).stage, 'mql');
  // The start-up phases a site (and scripts/bench-widget) can read, in order.
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith('mqlscore:')));
  assert.deepEqual(marks.filter((n) => !['mqlscore:rules-loaded', 'mqlscore:core-ready'].includes(n)),
    ['mqlscore:start', 'mqlscore:rules-parsed', 'mqlscore:widget-created', 'mqlscore:ready']);
  assert.ok(marks.includes('mqlscore:rules-loaded') && marks.includes('mqlscore:core-ready'));
  await context.close();
});

test('stored evidence stays bounded for a visitor whose stage never changes', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  await page.evaluate(() => {
    for (let i = 0; i < 300; i++) {
      window.mqlscore.track('video_play', { props: { position: i } });
      if (i % 5 === 4) window.dispatchEvent(new Event('pagehide'));  // writes what is pending
    }
  });
  const stored = await page.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('mqlscore:events:')).sort();
    return { chunks: keys.length, events: keys.flatMap((k) => JSON.parse(localStorage.getItem(k))),
      pruned: localStorage.getItem('mqlscore:evidence-pruned') };
  });
  assert.ok(stored.chunks <= 21, `${stored.chunks} chunks`);
  assert.ok(stored.events.length <= 200 + 20 * 5, `${stored.events.length} events`);
  assert.equal(stored.events.at(-1).props.position, 299);
  const positions = stored.events.map((e) => e.props && e.props.position).filter((p) => p !== undefined);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'oldest first');
  assert.equal(stored.pruned, '1');
  await context.close();
});

test('a signal whose evidence is larger than a keepalive request may carry still arrives', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate(() => {
    for (let i = 0; i < 190; i++) window.mqlscore.track('video_play', { props: { video: `chapter ${i}`, notes: 'n'.repeat(400) } });
  });
  await qualify(page);
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 10000));
  const mql = signals().find((s) => s.to === 'mql');
  assert.ok(JSON.stringify(mql).length > 64 * 1024);
  await context.close();
});

test('evidence is capped at 256 KB, so a visitor with very large events still gets a deliverable signal', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate(() => {
    for (let i = 0; i < 40; i++) window.mqlscore.track('video_play', { props: { position: i, notes: 'n'.repeat(20000) } });
  });
  await qualify(page);
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 10000));
  const mql = signals().find((s) => s.to === 'mql');
  assert.ok(JSON.stringify(mql.evidence).length <= 256 * 1024 + 202);  // the events, plus commas and brackets
  assert.equal(mql.evidence_complete, false);
  assert.equal(mql.evidence.at(-1).type, 'form_submit', 'the latest events are kept');
  await context.close();
});

test('while the endpoint is down nothing is lost, and nothing is duplicated when it is back', async () => {
  site.state.status = 503;
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await qualify(page);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(signals().length, 0);
  site.state.status = 200;
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 20000));
  await new Promise((r) => setTimeout(r, 1000));
  const ids = signals().map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  await context.close();
});

test('a signal raised just before the tab closes still arrives', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate((traits) => window.mqlscore.identify(traits), FIT);
  await page.click('#demo-cta');
  await page.evaluate(() => window.mqlscore.track('form_submit', { form: 'demo-request' }));
  await page.close({ runBeforeUnload: true });
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 5000));
  await context.close();
});

test('the widget works under a strict Content-Security-Policy', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/csp');
  await page.click('#demo-cta');
  assert.equal(Math.round((await score(page)).reasons.find((r) => r.rule === 'book-demo-click').points), 15);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page that preloads the rules and the core has each downloaded once, and starts as usual', async () => {
  const context = await browser.newContext();
  const { page, warnings, errors } = await open(context, '/preload');
  await page.click('#demo-cta');
  assert.equal(Math.round((await score(page)).reasons.find((r) => r.rule === 'book-demo-click').points), 15);
  // Chromium warns when a preload goes unused (a credentials mode that does not match, say).
  await page.waitForTimeout(3500);
  assert.deepEqual(warnings, []);
  assert.deepEqual(errors, []);
  assert.equal(site.state.requests['/rules.json'], 1);
  assert.equal(site.state.requests['/dist/mqlscore-core.wasm'], 1);
  await context.close();
});

test('the downloads start from a short stack, not from inside the script\'s top level', async () => {
  // While the network is watched (DevTools, a test driver), Chromium records each request's
  // caller stack and V8 re-parses every function on it: from the top level, the whole script.
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const stacks = {};
  cdp.on('Network.requestWillBeSent', (e) => {
    const name = e.request.url.split('/').pop();
    if (name === 'rules.json' || name === 'mqlscore-core.wasm') stacks[name] = e.initiator.stack.callFrames.length;
  });
  await open(context, '/pricing', page);
  // fetchOk, loadRules and the microtask (3); fetchOk, instantiate, createMqlscoreCore and the
  // microtask (4). From the top level the stacks were 6 and 7 deep.
  assert.deepEqual(Object.keys(stacks).sort(), ['mqlscore-core.wasm', 'rules.json']);
  for (const [name, depth] of Object.entries(stacks)) assert.ok(depth <= 4, `${name} requested ${depth} frames deep`);
  await context.close();
});

test('a broken rules file leaves one warning and a working host page', async () => {
  site.state.rules = '{"version": 2';
  const context = await browser.newContext();
  const { page, warnings, errors } = await open(context, '/');
  await page.click('#host-button');
  assert.equal(await page.textContent('#host-button'), 'clicked');
  assert.equal(await score(page), null);
  assert.equal(warnings.filter((w) => w.startsWith('mqlscore:')).length, 1);
  assert.match(warnings.find((w) => w.startsWith('mqlscore:')), /inactive: the rules file \/rules\.json is invalid/);
  assert.deepEqual(errors, []);
  await context.close();
});

const mqlscoreWarnings = (warnings) => warnings.filter((w) => w.startsWith('mqlscore:'));
const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mqlscore:')));

test('a failed wasm load leaves one warning and a working host page', async () => {
  site.state.wasm404 = true;
  const context = await browser.newContext();
  const { page, warnings, errors } = await open(context, '/pricing');
  await page.click('#host-button');
  assert.equal(await page.textContent('#host-button'), 'clicked');
  assert.equal(mqlscoreWarnings(warnings).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a missing rules file leaves one warning', async () => {
  site.state.rules = '404';
  const context = await browser.newContext();
  const { page, warnings } = await open(context, '/pricing');
  assert.match(mqlscoreWarnings(warnings)[0], /the rules file \/rules.json answered HTTP 404/);
  assert.equal(mqlscoreWarnings(warnings).length, 1);
  await page.click('#host-button');
  assert.equal(await page.textContent('#host-button'), 'clicked');
  await context.close();
});

test('rules or core that cannot be fetched at all are named in the one warning', async () => {
  for (const [pattern, expected] of [['**/rules.json', /the rules file \/rules.json could not be fetched/],
    ['**/mqlscore-core.wasm', /mqlscore-core\.wasm could not be fetched/]]) {
    const context = await browser.newContext();
    await context.route(pattern, (route) => route.abort());
    const { page, warnings, errors } = await open(context, '/pricing');
    assert.equal(mqlscoreWarnings(warnings).length, 1);
    assert.match(mqlscoreWarnings(warnings)[0], expected);
    await page.click('#host-button');
    assert.equal(await page.textContent('#host-button'), 'clicked');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('blocked localStorage: scoring goes on in memory with one warning', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  const { page, warnings, errors } = await open(context, '/pricing');
  await page.click('#demo-cta');
  assert.equal((await score(page)).reasons.length, 2);
  assert.equal(mqlscoreWarnings(warnings).length, 1);
  assert.match(mqlscoreWarnings(warnings)[0], /^mqlscore: localStorage is not available \(SecurityError\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a full storage quota costs persistence, not scoring or signals', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function setItem(key, value) {
      if (key.startsWith('mqlscore:') && key !== 'mqlscore:visitor') throw new DOMException('full', 'QuotaExceededError');
      return original.call(this, key, value);
    };
  });
  const { page, warnings, errors } = await open(context, '/pricing');
  await page.click('#demo-cta');
  assert.equal((await score(page)).reasons.length, 2);
  await page.evaluate((traits) => {
    window.mqlscore.identify(traits);
    window.mqlscore.track('form_submit', { form: 'demo-request' });
  }, FIT);
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 10000), 'the signal is sent from memory');
  assert.equal(mqlscoreWarnings(warnings).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a corrupted saved state is replaced with a fresh one after one warning', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('mqlscore:state', '{"format":"mqlscore-visitor","version":1,"visitor":');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const { page, warnings, errors } = await open(context, '/pricing');
  assert.match(mqlscoreWarnings(warnings)[0], /the saved score could not be read/);
  await page.click('#demo-cta');
  assert.equal(Math.round((await score(page)).score), 30);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs of one visitor neither double-count nor lose points', async () => {
  const context = await browser.newContext();
  const a = await open(context, '/pricing');
  const b = await open(context, '/');
  await a.page.click('#demo-cta');
  await b.page.click('#demo-cta');
  await a.page.evaluate(() => document.getElementById('demo-cta').click());  // limit: 2 per day
  const scores = await b.page.evaluate(() => window.mqlscore.score());
  const reasons = Object.fromEntries(scores.reasons.map((r) => [r.rule, Math.round(r.points)]));
  assert.equal(reasons['book-demo-click'], 30);
  assert.equal(reasons['pricing-page'], 15);
  await context.close();
});

test('with Global Privacy Control nothing is stored or sent until the site says it has consent', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const { page } = await open(context, '/');
  await qualify(page);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await score(page)).stage, 'mql');
  assert.deepEqual(await storedKeys(page), []);
  assert.equal(signals().length, 0);
  await page.evaluate(() => window.mqlscore.consent(true));
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql'), 10000));
  assert.ok((await storedKeys(page)).includes('mqlscore:state'));
  await context.close();
});

test('data-consent="required" keeps the widget silent until consent(true)', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/consent');
  await page.evaluate((traits) => window.mqlscore.identify(traits), FIT);
  await page.click('#demo-cta');
  assert.deepEqual(await storedKeys(page), []);
  await page.evaluate(() => window.mqlscore.consent(true));
  assert.ok((await storedKeys(page)).includes('mqlscore:visitor'));
  await context.close();
});

test('with data-consent="required" a returning visitor who consents again keeps the points of earlier pages', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/consent');
  await page.evaluate(() => window.mqlscore.consent(true));
  await page.click('#demo-cta');                    // 15 points, stored
  const id = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  await page.goto(site.url + '/consent');
  await page.evaluate(() => window.mqlscore.ready);
  await page.click('#demo-cta');                    // scored in memory until consent
  await page.evaluate(() => window.mqlscore.consent(true));
  const reasons = await pointsByRule(page);
  assert.equal(reasons['book-demo-click'], 30);
  assert.equal(await page.evaluate(() => localStorage.getItem('mqlscore:visitor')), id);
  await page.reload();
  await page.evaluate(() => window.mqlscore.ready);
  await page.evaluate(() => window.mqlscore.consent(true));
  assert.equal(Math.round((await score(page)).reasons.find((r) => r.rule === 'book-demo-click').points), 30);
  await context.close();
});

test('consent withdrawn and given again on the same page keeps the visitor and its points', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  await page.click('#demo-cta');
  const id = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  await page.evaluate(() => window.mqlscore.consent(false));
  assert.deepEqual(await storedKeys(page), []);
  await page.evaluate(() => window.mqlscore.consent(true));
  assert.equal(await page.evaluate(() => localStorage.getItem('mqlscore:visitor')), id);
  await page.reload();
  await page.evaluate(() => window.mqlscore.ready);
  const reasons = await pointsByRule(page);
  assert.equal(reasons['book-demo-click'], 15);
  await context.close();
});

test('e-mail addresses in the query string never leave the page', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/?email=ann%40northwind.com&utm_source=newsletter');
  await qualify(page);
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql')));
  const sent = JSON.stringify(site.state.batches);
  assert.ok(!sent.includes('northwind.com&'), 'no e-mail in any URL');
  assert.ok(!sent.includes('ann%40northwind'));
  assert.ok(sent.includes('email=redacted'));
  await context.close();
});

test('the built script asks Chromium to compile all of it while it downloads', async () => {
  const script = await readFile(new URL('../../../dist/mqlscore.js', import.meta.url), 'utf8');
  assert.equal(script.slice(0, script.indexOf('\n')), '//# allFunctionsCalledOnLoad');
});

test('including the script twice is harmless', async () => {
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/twice');
  await page.waitForTimeout(300);  // let the second copy run
  await page.click('#demo-cta');
  const reasons = (await score(page)).reasons;
  assert.deepEqual(reasons.map((r) => [r.rule, Math.round(r.points)]), [['book-demo-click', 15]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs scoring within the same quarter second both count once', async () => {
  const context = await browser.newContext();
  const a = await open(context, '/');
  const b = await open(context, '/');
  // Both events land before either tab writes its state (writes are coalesced for 250 ms).
  await Promise.all([
    a.page.evaluate(() => window.mqlscore.track('form_submit', { form: 'newsletter' })),
    b.page.evaluate(() => window.mqlscore.track('form_submit', { form: 'webinar-q3' })),
  ]);
  await a.page.waitForTimeout(600);
  for (const tab of [a, b]) {
    const reasons = await pointsByRule(tab.page);
    assert.equal(reasons.newsletter, 5);
    assert.equal(reasons['webinar-signup'], 20);
  }
  await context.close();
});

test('reset() forgets the visitor: a new id and scores from zero', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  await page.click('#demo-cta');
  const before = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  assert.ok((await score(page)).engagement > 0);
  await page.evaluate(() => window.mqlscore.reset());
  const scores = await score(page);
  assert.equal(scores.engagement, 0);
  assert.deepEqual(scores.reasons, []);
  const after = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  assert.notEqual(after, before);
  await page.reload();
  await page.evaluate(() => window.mqlscore.ready);
  assert.equal(Math.round((await score(page)).engagement), 15);  // only the new page view
  await context.close();
});

test('fields that cannot be sent (a cycle, a BigInt) cost one warning, never an exception', async () => {
  const context = await browser.newContext();
  const { page, warnings, errors } = await open(context, '/pricing');
  const thrown = await page.evaluate(() => {
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    const outcomes = [];
    for (const fields of [{ props: cyclic }, { props: { big: 10n } }]) {
      try { window.mqlscore.track('video_play', fields); outcomes.push('ok'); } catch (error) { outcomes.push(String(error)); }
    }
    return outcomes;
  });
  assert.deepEqual(thrown, ['ok', 'ok']);
  const warned = mqlscoreWarnings(warnings);
  assert.equal(warned.length, 2);
  assert.match(warned[0], /^mqlscore: track\(\) failed: /);
  const before = (await score(page)).engagement;
  await page.click('#demo-cta');
  assert.ok((await score(page)).engagement > before, 'scoring goes on');
  assert.deepEqual(errors, []);
  await context.close();
});

test('consent(false) deletes what earlier pages stored, also on a data-consent="required" page', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/consent');
  await page.evaluate(() => window.mqlscore.consent(true));
  await page.click('#demo-cta');
  await page.goto(site.url + '/consent');           // in memory only until this page's consent
  await page.evaluate(() => window.mqlscore.ready);
  const stored = await storedKeys(page);
  for (const key of ['mqlscore:visitor', 'mqlscore:state']) assert.ok(stored.includes(key), key);
  await page.evaluate(() => window.mqlscore.consent(false));
  assert.deepEqual(await storedKeys(page), []);
  await context.close();
});

test('consent(false) before ready deletes what earlier pages stored, and nothing is stored after it', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  await page.click('#demo-cta');
  assert.ok((await storedKeys(page)).includes('mqlscore:visitor'));
  await page.close();  // a tab of the same visitor would write its own state again
  for (const how of ['stub queue', 'a call before ready']) {
    const next = await context.newPage();
    if (how === 'stub queue') await next.addInitScript(() => { window.mqlscore = [['consent', false]]; });
    else {
      // consent(false) the moment the script has made its API, before ready.
      await next.addInitScript(() => {
        let api;
        Object.defineProperty(window, 'mqlscore', { configurable: true, get: () => api,
          set(value) { api = value; if (value && value.__mqlscore) value.consent(false); } });
      });
    }
    await next.goto(site.url + '/pricing');
    await next.evaluate(() => window.mqlscore.ready);
    await next.click('#demo-cta');
    await next.evaluate(() => new Promise((r) => setTimeout(r, 400)));  // past the coalesced write
    assert.deepEqual(await storedKeys(next), [], how);
    await next.close();
    const again = await context.newPage();  // the next visit stores anew, for the next test round
    await again.goto(site.url + '/pricing');
    await again.evaluate(() => window.mqlscore.ready);
    await again.click('#demo-cta');
    await again.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    assert.ok((await storedKeys(again)).includes('mqlscore:visitor'));
    await again.close();
  }
  await context.close();
});

test('reset() called before ready (a logout snippet after a plain script tag) is carried out', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/pricing');
  const before = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  assert.ok(before);
  await page.goto(site.url + '/logout');
  await page.evaluate(() => window.mqlscore.ready);
  const after = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  assert.ok(after && after !== before, `a new visitor id (${before} -> ${after})`);
  assert.deepEqual((await score(page)).reasons, []);
  await context.close();
});

test('a script tag without data-site warns once at start and sends nothing the endpoint would refuse', async () => {
  const context = await browser.newContext();
  const { page, warnings } = await open(context, '/nosite');
  await page.evaluate((traits) => window.mqlscore.identify(traits), FIT);
  await page.click('#demo-cta');
  await page.click('#submit');
  assert.ok(await waitFor(async () => (await score(page)).stage === 'mql'));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(site.state.batches.length, 0);
  assert.deepEqual(mqlscoreWarnings(warnings),
    ['mqlscore: the script tag has no data-site: signals stay in this browser until it names the site (data-site="acme")']);
  assert.ok((await page.evaluate(() => localStorage.getItem('mqlscore:outbox') || '')).includes('"to":"mql"'), 'kept for a later page');
  await context.close();
});

test('track.traits decides which traits leave the browser: the others are neither scored, stored nor sent', async () => {
  site.state.rules = await rulesWith({ track: { traits: ['email', 'employees', 'industry', 'country', 'title'] } });
  const context = await browser.newContext();
  const { page, errors } = await open(context, '/');
  await page.evaluate((traits) => window.mqlscore.identify({ ...traits, phone: '+1 555 0100', name: 'Ann Lee' }), FIT);
  await page.click('#demo-cta');
  await page.click('#submit');
  assert.ok(await waitFor(() => signals().some((s) => s.to === 'mql')), 'the fit traits still make an MQL');
  const identify = (await scoredEvents(page)).find((e) => e.type === 'identify');
  assert.deepEqual(Object.keys(identify.traits).sort(), ['country', 'email', 'employees', 'industry', 'title']);
  assert.ok(!JSON.stringify(site.state.batches).includes('555 0100'), 'the phone number never left');
  assert.deepEqual(errors, []);
  await context.close();
});

test('dataLayer gets the stage change without its evidence, unless the site asks for it', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate(() => { window.dataLayer = []; });
  await qualify(page);
  const pushed = await page.evaluate(() => window.dataLayer.map((d) => d.mqlscore));
  const mql = pushed.find((s) => s.to === 'mql');
  assert.ok(mql, 'pushed');
  assert.equal('evidence' in mql, false);
  assert.doesNotMatch(JSON.stringify(pushed), /northwind|VP Marketing/);
  const handled = await page.evaluate(() => new Promise((resolve) => {
    window.mqlscore.on('stage_changed', (signal) => resolve(signal.evidence.length));
    window.mqlscore.reset();
    window.mqlscore.identify({ employees: 500, industry: 'software', country: 'US', title: 'VP Marketing' });
    document.getElementById('demo-cta').click();
    document.getElementById('submit').click();
  }));
  assert.ok(handled > 0, 'the page\'s own handlers get the evidence');
  await context.close();
});

test('before consent the page hears nothing of the throwaway visitor scored in memory', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const { page } = await open(context, '/');
  await page.evaluate(() => {
    window.seen = [];
    window.dataLayer = [];
    window.mqlscore.on('stage_changed', (s) => window.seen.push(`on:${s.to}`));
    document.addEventListener('mqlscore:stage_changed', (e) => window.seen.push(`event:${e.detail.to}`));
  });
  await qualify(page);
  assert.equal((await score(page)).stage, 'mql');
  assert.deepEqual(await page.evaluate(() => [...window.seen, ...window.dataLayer]), []);
  await context.close();
});

test('e-mail addresses in the path, the title and a CTA\'s text never leave the page; the CTA text is the CTA\'s', async () => {
  const context = await browser.newContext();
  const { page } = await open(context, '/');
  await page.evaluate(() => {
    document.title = 'Welcome ann@northwind.com';
    document.getElementById('demo-cta').innerHTML = '<span id="label">Book</span> a demo for ann@northwind.com';
    history.pushState({}, '', '/users/ann%40northwind.com/home');
    document.title = 'Home of ann@northwind.com';
  });
  await page.waitForTimeout(50);
  await page.click('#label');
  const events = await scoredEvents(page);
  const view = events.filter((e) => e.type === 'page_view').at(-1);
  assert.equal(view.url, `${site.url}/users/redacted/home`);
  assert.equal(view.title, 'Home of redacted', 'the title the page set right after pushState');
  const cta = events.find((e) => e.type === 'cta_click');
  assert.equal(cta.text, 'Book a demo for redacted');
  assert.equal(cta.title, 'Home of redacted');
  assert.doesNotMatch(JSON.stringify(events), /northwind/);
  await context.close();
});

test('a type="module" script tag finds its own attributes', async () => {
  const context = await browser.newContext();
  const { page, warnings } = await open(context, '/module');
  await page.click('#cta-label');
  assert.deepEqual(mqlscoreWarnings(warnings), []);
  const cta = (await scoredEvents(page)).find((e) => e.type === 'cta_click');
  assert.deepEqual([cta.cta, cta.text], ['book-demo', 'Book a demo']);
  await context.close();
});

test('mqlscore.version is the release; data-wasm names the core\'s file, relative to the script', async () => {
  const context = await browser.newContext();
  const { page, warnings } = await open(context, '/pricing');
  const { version } = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
  assert.equal(await page.evaluate(() => window.mqlscore.version), version);
  const other = await open(context, '/wasm-attribute');
  assert.equal(await other.page.evaluate(() => window.mqlscore.ready), null);
  assert.match(mqlscoreWarnings(other.warnings).join('\n'), /\/dist\/missing-core\.wasm answered HTTP 404/);
  assert.deepEqual(mqlscoreWarnings(warnings), []);
  await context.close();
});
