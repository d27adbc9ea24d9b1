// The demo end to end: the collector serving the demo site (scripts/build-demo-site) and the
// dashboard; headless Chromium browses until the visitor is an MQL; the lead shows up on the
// dashboard, verified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCollector, withDemoCollector } from './collector.mjs';

let browser;
let base;
let work;
withDemoCollector((started) => ({ base, work, browser } = started));

test('a visitor browsing the demo site becomes an MQL and appears on the dashboard, verified', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/pricing.html`);
  await page.evaluate(() => window.mqlscore.ready);
  await page.click('nav a.cta');                       // Book a demo (data-mql-cta) -> /demo.html
  await page.waitForURL('**/demo.html');
  await page.evaluate(() => window.mqlscore.ready);
  await page.click('#demo button');                    // the demo request form (+ identify)
  const visitor = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  let lead = null;
  for (let i = 0; i < 100 && !lead; i++) {
    const leads = await (await fetch(`${base}/v1/leads`)).json();
    lead = leads.find((l) => l.visitor === visitor && (l.to === 'mql' || l.to === 'sql'));
    if (!lead) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(lead, 'the lead reached the collector');
  assert.equal(lead.verdict, 'verified');
  const dashboard = await context.newPage();
  await dashboard.goto(`${base}/dashboard/`);
  const row = dashboard.locator('#leads tbody tr', { hasText: visitor });
  await row.waitFor();
  assert.match(await row.textContent(), /verified/);
  await row.click();
  await dashboard.locator('#chart polyline').first().waitFor();
  assert.ok((await dashboard.locator('#reasons li').count()) > 0);
  await dashboard.locator('#status', { hasText: 'new' }).waitFor();
  await dashboard.click('[data-status=accepted]');
  await dashboard.locator('#status', { hasText: 'accepted' }).waitFor();
  assert.match(await dashboard.textContent('#status-history'), /accepted by localhost/);
  await dashboard.click('[data-status=won]');
  await dashboard.locator('#status-error', { hasText: 'can become sql, rejected or lost, not won' }).waitFor();
  await dashboard.screenshot({ path: 'build/screenshots/dashboard-lead.png', fullPage: true });
  await context.close();
});

test('the dashboard renders every lead, one with an impossible time too, under its own strict CSP', async () => {
  // The collector refuses such times now; a database written before may still hold one.
  const lead = (visitor, ts) => ({ type: 'stage_changed', id: `sig-${visitor}`, site: 'acme', visitor, ts, from: 'visitor', to: 'mql',
    stage: 'mql', engagement: 60, fit: 20, score: 80, reasons: [], rules_hash: '0123456789abcdef', verdict: 'mismatch' });
  const context = await browser.newContext();
  const dashboard = await context.newPage();
  await dashboard.route((url) => url.pathname === '/v1/leads', (route) => route.fulfill({ json: [lead('v-far-future', 1e300), lead('v-ordinary', Date.UTC(2026, 0, 5))] }));
  const errors = [];
  dashboard.on('pageerror', (e) => errors.push(e.message));
  const response = await dashboard.goto(`${base}/dashboard/`);
  assert.match(response.headers()['content-security-policy'], /frame-ancestors 'none'/);
  await dashboard.locator('#leads tbody tr', { hasText: 'v-ordinary' }).waitFor();
  assert.match(await dashboard.locator('#leads tbody tr', { hasText: 'v-far-future' }).textContent(), /invalid time/);
  assert.deepEqual(errors, []);
  await context.close();
});

// Another collector serving the demo site with `args`, stopped when test `t` ends.
async function another(t, args) {
  const started = await startCollector(args);
  t.after(() => started.stop());
  return started.base;
}

test('the dashboard shows the forwarding\'s dead letters, and nothing of it while there are none', async () => {
  const context = await browser.newContext();
  const dashboard = await context.newPage();
  await dashboard.goto(`${base}/dashboard/`);
  await dashboard.locator('#leads').waitFor();
  await dashboard.waitForTimeout(300);
  assert.equal(await dashboard.locator('#forwarding').isHidden(), true);
  await dashboard.route('**/v1/forwarding', (route) => route.fulfill({ json: { waiting: 2, dead: [
    { id: 'sig-refused', reason: 'refused with HTTP 400', http_status: 400, attempts: 1, failed_at: Date.UTC(2026, 0, 5, 10) }] } }));
  await dashboard.reload();
  const row = dashboard.locator('#dead-letters tbody tr', { hasText: 'sig-refused' });
  await row.waitFor();
  assert.match(await row.textContent(), /refused with HTTP 400.*400.*1.*2026-01-05 10:00:00/);
  assert.match(await dashboard.textContent('#forwarding-waiting'), /^2 verified signal\(s\) waiting to be forwarded; 1 dead letter/);
  await context.close();
});

test('with a token file the dashboard asks the team to sign in, then shows the leads', async (t) => {
  writeFileSync(join(work, 'team.tokens'), 'ann:ann-0123456789abcdef\n');
  const at = await another(t, ['--db', join(work, 'team.sqlite'), '--rules', 'examples/b2b-saas.rules.json',
    '--admin-token-file', join(work, 'team.tokens')]);
  const rulesHash = execFileSync('build/native/cli/mqlscore', ['hash', 'examples/b2b-saas.rules.json'], { encoding: 'utf8' }).trim();
  const posted = await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [{ id: 'sig-team', type: 'stage_changed',
    visitor: 'v-team', ts: Date.now() - 60000, from: 'visitor', to: 'mql', engagement: 60, fit: 20, score: 80, reasons: [],
    rules_hash: rulesHash, evidence: [] }] }) });
  assert.equal(posted.status, 200);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${at}/dashboard/`);
  await page.locator('#sign-in').waitFor();
  await page.fill('#token', 'wrong-0123456789abcdef');
  await page.click('#sign-in button');
  await page.locator('#sign-in-error', { hasText: 'not one of the team' }).waitFor();
  await page.fill('#token', 'ann-0123456789abcdef');
  await page.click('#sign-in button');
  await page.locator('#leads tbody tr', { hasText: 'v-team' }).waitFor();
  assert.equal(await page.locator('#sign-in').isHidden(), true);
  assert.equal((await context.cookies()).find((c) => c.name === 'mqlscore_session').httpOnly, true);
  await context.close();
});

test('the lead cockpit: sales and marketing filter, search and sort the leads, open one, its account, the funnel and campaigns', async (t) => {
  const at = await another(t, ['--db', join(work, 'cockpit.sqlite')]);
  execFileSync('node', ['scripts/seed-demo', at, '--visitors', '80']);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${at}/dashboard/`);
  const rows = page.locator('#leads tbody tr');
  await rows.first().waitFor();
  assert.match(await page.textContent('#page-info'), /^1–\d+ of \d+$/);
  await page.screenshot({ path: 'build/screenshots/dashboard-leads.png', fullPage: true });

  // Search, then a stage: every row shown matches; the export link carries the same filters.
  await page.fill('#q', 'northwind');
  await page.waitForFunction(() => [...document.querySelectorAll('#leads tbody tr')].length > 0 &&
    [...document.querySelectorAll('#leads tbody tr')].every((r) => /northwind/i.test(r.textContent)));
  await page.selectOption('#f-stage', 'mql');
  await page.waitForFunction(() => [...document.querySelectorAll('#leads tbody tr')].every((r) => r.children[3].textContent === 'mql'));
  assert.match(await page.getAttribute('#export', 'href'), /^\/v1\/leads\.csv\?q=northwind&stage=mql&/);
  await page.fill('#q', '');
  await page.selectOption('#f-stage', '');
  // Sorted by score, highest first.
  await page.click('#leads th[data-sort=score]');
  await page.waitForFunction(() => document.querySelector('#leads th[data-sort=score]').getAttribute('aria-sort') === 'descending');
  await page.waitForTimeout(300);
  const scores = await page.$$eval('#leads tbody tr', (trs) => trs.map((tr) => Number(tr.children[4].textContent)));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));

  // One lead: its events replayed with the rules they fired, the chart, its signals.
  await rows.first().click();
  await page.locator('#events tbody tr').first().waitFor();
  assert.ok(await page.locator('#chart polyline').count() === 2);
  assert.ok(await page.locator('#chart circle').count() > 0);
  assert.ok(await page.locator('#signals tbody tr').count() > 0);
  assert.match(await page.textContent('#events tbody'), /\+\d/);
  await page.screenshot({ path: 'build/screenshots/dashboard-timeline.png', fullPage: true });

  // Accounts, one of them, the funnel and the campaigns.
  await page.click('#tabs a[data-view=accounts]');
  await page.locator('#accounts tbody tr').first().waitFor();
  await page.screenshot({ path: 'build/screenshots/dashboard-accounts.png', fullPage: true });
  await page.locator('#accounts tbody tr').first().click();
  await page.locator('#account-people tbody tr').first().waitFor();
  assert.match(await page.textContent('#account-summary'), /people on \d+ visitors/);
  await page.screenshot({ path: 'build/screenshots/dashboard-account.png', fullPage: true });
  await page.click('#tabs a[data-view=funnel]');
  await page.locator('#funnel tbody tr').first().waitFor();
  assert.deepEqual(await page.$$eval('#funnel tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent)),
    ['visitors', 'engaged', 'mql', 'accepted', 'sql', 'won']);
  assert.equal(await page.locator('#funnel-weeks tbody tr').count(), 12);
  await page.screenshot({ path: 'build/screenshots/dashboard-funnel.png', fullPage: true });
  await page.click('#tabs a[data-view=campaigns]');
  await page.locator('#campaigns tbody tr').first().waitFor();
  assert.match(await page.textContent('#campaigns tbody'), /rule/);
  await page.screenshot({ path: 'build/screenshots/dashboard-campaigns.png', fullPage: true });

  // On a phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(`${at}/dashboard/`);
  await small.locator('#leads tbody tr').first().waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling of the page');
  await small.screenshot({ path: 'build/screenshots/dashboard-phone.png' });
  assert.deepEqual(errors, []);
  await phone.close();
  await context.close();
});

test('a long history and a rules change between signals: every signal of the chain is verified', async (t) => {
  // Rules B pays twice as much for a pricing page; the collector knows both files, as the docs advise.
  const rulesA = readFileSync('examples/b2b-saas.rules.json', 'utf8');
  const parsed = JSON.parse(rulesA);
  parsed.rules.find((r) => r.id === 'pricing-page').points = 30;
  const rulesB = JSON.stringify(parsed);
  writeFileSync(join(work, 'rules-b.json'), rulesB);
  const at = await another(t, ['--db', join(work, 'chain.sqlite'), '--rules', 'examples/b2b-saas.rules.json',
    '--rules', join(work, 'rules-b.json')]);
  const context = await browser.newContext();
  const page = await context.newPage();
  const videos = (count) => page.evaluate((n) => { for (let i = 0; i < n; i++) window.mqlscore.track('video_play', { props: { i } }); }, count);
  await page.goto(`${at}/pricing.html`);                                  // 15
  await page.evaluate(() => window.mqlscore.ready);
  await page.evaluate(() => window.mqlscore.identify({ employees: 250, industry: 'software', country: 'US' }));
  await videos(150);
  await page.evaluate(() => window.mqlscore.track('cta_click', { cta: 'book-demo' }));         // 30: engaged
  await videos(150);
  await page.evaluate(() => window.mqlscore.track('form_submit', { form: 'demo-request' }));   // 80: mql
  await page.goto(`${at}/pricing.html`);                                  // 95, still under A
  await page.evaluate(() => window.mqlscore.ready);
  await page.route('**/rules.json', (route) => route.fulfill({ contentType: 'application/json', body: rulesB }));
  await page.goto(`${at}/pricing.html`);                                  // 125 under B: sql
  await page.evaluate(() => window.mqlscore.ready);
  const visitor = await page.evaluate(() => localStorage.getItem('mqlscore:visitor'));
  let signals = [];
  for (let i = 0; i < 100 && signals.length < 3; i++) {
    const lead = await fetch(`${at}/v1/leads/${visitor}`);
    signals = lead.ok ? (await lead.json()).signals : [];
    if (signals.length < 3) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(signals.map((s) => `${s.to}:${s.verdict}`), ['engaged:verified', 'mql:verified', 'sql:verified']);
  await context.close();
});
