// The rules playground in headless Chromium, served by the collector as scripts/demo serves it
// (build/demo-site/playground/, scripts/build-playground).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { withDemoCollector } from './collector.mjs';

let browser;
let base;
let work;
withDemoCollector((started) => ({ base, work, browser } = started));

async function open(url = `${base}/playground/`) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1300 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => window.playground.ready);
  return { context, page, errors };
}

const MQL_JOURNEY = [
  { type: 'page_view', ts: '2026-01-05T09:00:00Z', url: 'https://www.acme-analytics.com/pricing' },
  { type: 'cta_click', ts: '2026-01-05T09:01:00Z', cta: 'book-demo' },
  { type: 'page_view', ts: '2026-01-05T09:02:00Z', url: 'https://www.acme-analytics.com/demo' },
  { type: 'form_submit', ts: '2026-01-05T09:03:00Z', form: 'demo-request' },
  { type: 'identify', ts: '2026-01-05T09:04:00Z', traits: { employees: 850, industry: 'software', country: 'US' } },
].map((e) => JSON.stringify(e)).join('\n');

test('an invalid rules file shows each problem with its pointer, and choosing one goes there', async () => {
  const { context, page, errors } = await open();
  const rules = '{"version": 1, "stages": [{"name": "visitor"}],\n "rules": [{"id": "a", "on": "page_view", "points": 1,\n   "limit": {"times": 1, "per": "month"}}]}';
  await page.evaluate((text) => window.playground.setRules(text), rules);
  const problem = page.locator('[data-testid=problems] > *').first();
  await problem.waitFor();
  assert.match(await problem.textContent(), /^\/rules\/0\/limit\/per: must be one of session, day, week, ever/);
  await problem.click();
  const cursor = await page.evaluate(() => window.playground.cursor());
  assert.equal(rules.slice(cursor, cursor + 5), '"per"');
  assert.equal(await page.textContent('[data-testid=final-stage]'), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a valid file with a likely mistake shows validate\'s warning, not a problem', async () => {
  const { context, page } = await open();
  await page.evaluate(() => window.playground.setRules(window.playground.rules().replace('"on": "page_view"', '"on": "pageview"')));
  const warning = page.locator('[data-testid=warnings] > *').first();
  await warning.waitFor();
  assert.equal(await warning.textContent(), '/rules/0/on: "pageview" is not an event type the widget sends (did you mean "page_view"?)');
  assert.equal(await page.locator('[data-testid=problems] > *').count(), 0);
  await context.close();
});

test('a journey that qualifies shows mql as its final stage, and the chart draws it', async () => {
  const { context, page, errors } = await open();
  await page.evaluate((text) => window.playground.setEvents(text), MQL_JOURNEY);
  assert.equal(await page.textContent('[data-testid=final-stage]'), 'mql');
  assert.equal(await page.locator('canvas[data-testid=timeline]').count(), 1, 'the chart is the canvas marked timeline');
  assert.deepEqual(await page.locator('[data-testid=problems] > *').count(), 0);
  const awards = await page.evaluate(() => window.playground.journey().steps.map((s, i) => window.playground.awards(i).map((a) => a.rule)));
  assert.deepEqual(awards.slice(0, 2), [['pricing-page'], ['book-demo-click']]);
  const box = await page.locator('#timeline .u-over').boundingBox();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  assert.match(await page.locator('#tooltip').textContent(), /page_view \(line 1\)pricing-page \+15/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: 'build/screenshots/playground.png', fullPage: true });
  await context.close();
});

test('the buttons append the common events, and a link restores rules and journey', async () => {
  const { context, page } = await open();
  await page.evaluate(() => window.playground.setEvents(''));
  await page.fill('#add-path', '/pricing/enterprise');
  await page.click('[data-add=page_view]');
  await page.fill('#add-days', '2');
  await page.click('[data-add=gap]');
  await page.click('[data-add=form_submit]');
  const events = (await page.inputValue('[data-testid=events-editor]')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.type), ['page_view', 'form_submit']);
  assert.equal(Date.parse(events[1].ts) - Date.parse(events[0].ts), 2 * 86400000 + 60000);
  await page.evaluate(() => window.playground.setRules(window.playground.rules().replace('"points": 15', '"points": 16')));
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  await page.waitForTimeout(300);
  const link = page.url();
  const { page: shared, context: second } = await open(link);
  assert.equal(await shared.evaluate(() => window.playground.events()), await page.evaluate(() => window.playground.events()));
  assert.match(await shared.evaluate(() => window.playground.rules()), /"points": 16/);
  await second.close();
  await context.close();
});

test('a backtest of 100,000 events runs in the worker: no long task on the page meanwhile', async () => {
  const { context, page } = await open();
  const result = await page.evaluate(async () => {
    const long = [];
    const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const started = performance.now();
    const answer = await window.playground.runBacktest('large');
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    return { answer, long, ms: performance.now() - started };
  });
  assert.equal(result.answer.ok, true, result.answer.error);
  assert.equal(result.answer.figures.visitors, 5000);
  assert.ok(result.answer.figures.positives > 0);
  assert.deepEqual(result.long, [], 'no task of 50 ms or more on the main thread');
  assert.ok(await page.locator('[data-testid=backtest-result] table').count() > 0);
  await page.screenshot({ path: 'build/screenshots/playground-backtest.png', fullPage: true });
  await context.close();
});

test('the command line\'s backtest report renders its three charts (a screenshot for the docs)', async () => {
  const report = join(work, 'backtest.html');
  const run = spawnSync('build/native/cli/mqlscore', ['backtest', '--rules', 'examples/b2b-saas.rules.json', '--outcomes',
    'build/demo-site/playground/large.outcomes.csv', '--report', report, 'build/demo-site/playground/large.events.jsonl'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 }, offline: true });
  const page = await context.newPage();
  await page.goto(`file://${report}`);
  assert.equal(await page.locator('svg').count(), 3);
  await page.screenshot({ path: 'build/screenshots/backtest-report.png', fullPage: true });
  await context.close();
});
