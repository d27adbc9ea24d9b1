import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
await page.goto('http://127.0.0.1:8099/playground/');
await page.evaluate(() => window.playground.ready);
const r = await page.evaluate(() => {
  const paths = ['/pricing', '/product', '/blog/x', '/customers/a', '/demo'];
  const lines = [];
  let ts = Date.parse('2026-01-05T09:00:00Z');
  for (let i = 0; i < 1000; i++) { ts += (i % 50 === 49 ? 2 * 86400000 : 90000); lines.push(JSON.stringify({ type: 'page_view', ts, url: 'https://x.com' + paths[i % 5] })); }
  const text = lines.join('\n');
  const times = [];
  for (let k = 0; k < 21; k++) {
    const t0 = performance.now();
    window.playground.setEvents(text + (k % 2 ? '\n' : ''));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[10], min: times[0], max: times[20] };
});
console.log(JSON.stringify(r));
await browser.close();
