// `mqlscore validate` refuses exactly the CTA and form selectors that Chromium's querySelector
// refuses (cli/css_selector.h against the browser the widget asks): every selector of
// tests/fixtures/css-selectors.json, as a track.ctas entry.
// usage: node --test tests/css_selector_agree_test.mjs   (env: MQLSCORE, the command line)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const selectors = JSON.parse(readFileSync(new URL('./fixtures/css-selectors.json', import.meta.url), 'utf8'));

test('validate and Chromium refuse the same selectors', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let refusedByChromium;
  try {
    const page = await browser.newPage();
    refusedByChromium = await page.evaluate((all) => all.filter((selector) => {
      try {
        document.createDocumentFragment().querySelector(selector);
        return false;
      } catch {
        return true;
      }
    }), selectors);
  } finally {
    await browser.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'mqlscore-selectors-'));
  try {
    const ctas = Object.fromEntries(selectors.map((selector, i) => [`cta-${i}`, selector]));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ version: 1, stages: [{ name: 'visitor' }], rules: [], track: { ctas } }));
    const run = spawnSync(process.env.MQLSCORE || 'build/native/cli/mqlscore', ['validate', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const refusedByValidate = run.stderr.split('\n').map((line) => line.match(/^widget warning: track\.ctas\.cta-(\d+): .* is not a CSS selector; ignored$/))
      .filter(Boolean).map((match) => selectors[Number(match[1])]);
    assert.deepEqual(refusedByValidate, refusedByChromium);
    assert.ok(refusedByChromium.length > 20 && refusedByChromium.length < selectors.length - 20, 'both kinds are tried');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
