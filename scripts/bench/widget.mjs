// Widget budgets (issue 3): bytes a page downloads for the widget, script start to ready in
// headless Chromium, long tasks, and main-thread cost per tracked event. Medians.
// usage: node scripts/bench/widget.mjs [--loads N]
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const loads = Number(process.argv[process.argv.indexOf('--loads') + 1]) || 15;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

// What a page downloads (scripts/check-widget-size): the script and the module, not the types.
const files = readdirSync('dist').filter((name) => /\.(js|wasm)$/.test(name)).map((name) => {
  const data = readFileSync(`dist/${name}`);
  return { name, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
});

// The site runs in its own process, as a real one would, so that this script's work does not
// delay its answers.
const server = spawn(process.execPath, ['web/test/e2e/server.mjs', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(server.stdout, 'data');
const site = { url: String(line).match(/http:\S+/)[0] };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
// First visits to `path`: a fresh browser context per load.
async function firstVisits(path) {
  const visits = { ready: [], fromFirstStatement: [], afterDownloads: [], longTasks: [], phases: [] };
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${site.url}${path}`);
    const timing = await page.evaluate(async () => {
      await window.mqlscore.ready;
      const end = performance.now();
      const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/dist/mqlscore.js'));
      const phases = { script_loaded: script.responseEnd - script.startTime };
      for (const entry of performance.getEntriesByType('mark')) {
        if (entry.name.startsWith('mqlscore:')) phases[entry.name.slice(9)] = entry.startTime - script.startTime;
      }
      return { ms: end - script.startTime, longTasks: window.__longTasks, phases };
    });
    visits.ready.push(timing.ms);
    visits.fromFirstStatement.push(timing.phases.ready - timing.phases.start);
    visits.afterDownloads.push(timing.phases.ready - Math.max(timing.phases['rules-loaded'], timing.phases['core-ready']));
    visits.phases.push(timing.phases);
    visits.longTasks.push(...timing.longTasks);
    await context.close();
  }
  return visits;
}
const first = await firstVisits('/pricing');
// The same page preloading the rules and the core (docs/widget.md, "A faster first visit").
const preloaded = await firstVisits('/preload');
// The visitor's next pages: the same browser context, page after page (the browser keeps the
// widget's files and the compiled WebAssembly).
const context = await browser.newContext();
const page = await context.newPage();
const nextPages = [];
for (let i = 0; i <= loads; i++) {
  await page.goto(`${site.url}/pricing?page=${i}`);
  const ms = await page.evaluate(async () => {
    await window.mqlscore.ready;
    const at = (name) => performance.getEntriesByName(`mqlscore:${name}`)[0].startTime;
    return at('ready') - at('start');
  });
  if (i > 0) nextPages.push(ms);  // the first one is a first visit again
}
// Events are timed on a campaign landing page: every event carries its URL, query string included.
await page.goto(`${site.url}/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring-launch&utm_content=hero`);
const perEvent = await page.evaluate(async () => {
  await window.mqlscore.ready;
  const batches = [];
  for (let b = 0; b < 20; b++) {
    const start = performance.now();
    for (let i = 0; i < 50; i++) window.mqlscore.track('video_play', { props: { video: 'intro', position: i } });
    batches.push(((performance.now() - start) / 50) * 1000);
  }
  return batches;
});
await browser.close();
server.kill();

const total = files.reduce((sum, f) => sum + f.gzip, 0);
console.log('| file | bytes | gzip -9 |\n| --- | ---: | ---: |');
for (const f of files) console.log(`| dist/${f.name} | ${f.bytes} | ${f.gzip} |`);
console.log(`| **total** | | **${total}** (${(total / 1024).toFixed(1)} KB) |\n`);
const range = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
console.log(`script start to ready (rules loaded, first page view scored), ${loads} loads: from the script's first statement ${range(first.fromFirstStatement)}; from its request ${range(first.ready)}`);
console.log(`  of which the widget's own work, from the later of its two downloads to ready: ${range(first.afterDownloads)}`);
console.log(`  a page preloading the rules and the core, ${loads} loads: from the script's first statement ${range(preloaded.fromFirstStatement)}`);
console.log(`  the visitor's next pages (one browser context, ${loads} pages after the first): from the script's first statement ${range(nextPages)}`);
console.log(`  medians from script request: ${Object.keys(first.phases[0]).map((k) => `${k} ${median(first.phases.map((p) => p[k])).toFixed(1)} ms`).join(', ')}`);
const longTasks = [...first.longTasks, ...preloaded.longTasks];
console.log(`long tasks (> 50 ms) during the first visits: ${longTasks.length}${longTasks.length ? ` (${longTasks.map((d) => d.toFixed(0)).join(', ')} ms)` : ''}`);
console.log(`main-thread cost per tracked event on a campaign landing page (track() with scoring, storage and signal check), 20 batches of 50: median ${median(perEvent).toFixed(1)} µs`);
