// The real collector for the browser tests: serving the demo site (build/demo-site) on a free
// loopback port, with a database in a folder of its own, and Debian's Chromium.
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => { const p = probe.address().port; probe.close(() => resolve(p)); });
});

/**
 * Starts a collector with `args` after --listen and --static; resolves, once it answers, with
 * {base, work (its folder, for more files), stop()}. Without --db in `args` its database is
 * work/leads.sqlite, and without --rules the example rules.
 */
export async function startCollector(args = []) {
  const work = mkdtempSync(join(tmpdir(), 'mqlscore-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const defaults = [...(args.includes('--db') ? [] : ['--db', join(work, 'leads.sqlite')]),
    ...(args.includes('--rules') ? [] : ['--rules', 'examples/b2b-saas.rules.json'])];
  const child = spawn('build/native/collector/mqlscore-collector', ['--listen', `127.0.0.1:${port}`, '--static', 'build/demo-site',
    ...defaults, ...args], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    work,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;  // its files must be closed before the folder goes
      }
      rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

export const launchChromium = () => chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });

/**
 * A test file's collector and browser: started before its tests, stopped after them; `set`
 * receives {base, work, browser} once they are up.
 */
export function withDemoCollector(set) {
  let collector;
  let browser;
  before(async () => {
    collector = await startCollector();
    browser = await launchChromium();
    set({ base: collector.base, work: collector.work, browser });
  });
  after(async () => {
    await browser?.close();
    await collector?.stop();
  });
}
