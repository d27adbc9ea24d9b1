// `mqlscore validate` warns about a rules file's `track` section in the widget's words
// (cli/track_settings.h): for every section here, the command line's "widget warning:" lines
// must be exactly what the widget's trackSettings (web/src/payloads.js) warns on the same file.
// usage: node tests/track_settings_agree_test.mjs path/to/mqlscore
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackSettings } from '../web/src/payloads.js';

const cli = process.argv[2];
// Each as JSON text: a duplicate key must reach both readers as written.
const sections = [
  '{}',
  '{"page_views":false,"ctas":false,"forms":false,"downloads":false,"scroll":false,"engaged_seconds":false}',
  '{"page_views":true,"ctas":true,"forms":true,"downloads":true,"scroll":true,"engaged_seconds":true}',
  '{"ctas":{"book-demo":"a[href$=\'/demo\']"},"forms":{"newsletter":"form.newsletter"},"downloads":["PDF",".epub"],"scroll":[25,100],"engaged_seconds":[1,2.5]}',
  '{"scrolls":[10],"x-note":"notes are fine","page-views":false,"":1,"\u00e9t\u00e9":2}',
  '{"page_views":"no","ctas":[],"forms":{"a":1},"downloads":["pdf",3],"scroll":[25,"x"],"engaged_seconds":"often"}',
  '{"page_views":null,"ctas":null,"forms":{"a":"form","b":null},"downloads":[],"scroll":[0],"engaged_seconds":[-5]}',
  '{"scroll":[100.5],"engaged_seconds":[1e-7,1e21],"downloads":[["pdf"]],"ctas":{"x":{"y":"z"}}}',
  '{"scroll":[0.1,0.2,0.30000000000000004,-0],"engaged_seconds":{"a":1},"page_views":1}',
  '{"ctas":"a.demo","forms":"form","downloads":"pdf","scroll":50,"engaged_seconds":30}',
  '{"ctas":{"a":"x","a":1},"scroll":[10],"scroll":"x"}',
  '{"forms":{"quote\\"d":"form\\u0000","tab\\t":"\\ud83d\\ude00"}}',
];

const dir = mkdtempSync(join(tmpdir(), 'mqlscore-track-'));
let failures = 0;
for (const [i, section] of sections.entries()) {
  const text = `{"version":1,"stages":[{"name":"visitor"}],"rules":[],"track":${section}}`;
  const file = join(dir, `rules-${i}.json`);
  writeFileSync(file, text);
  const run = spawnSync(cli, ['validate', file], { encoding: 'utf8' });
  const fromCli = run.stderr.split('\n').filter((l) => l.startsWith('widget warning: ')).map((l) => l.slice(16));
  const fromWidget = [];
  // Every selector here parses; which do not is held to Chromium in css_selector_agree_test.mjs.
  trackSettings(JSON.parse(text).track, (w) => fromWidget.push(w), () => true);
  // Order may differ where a key repeats (JSON.parse keeps the first place, the core the last).
  const same = run.status === 0 && run.stdout === 'ok\n'
    && JSON.stringify([...fromCli].sort()) === JSON.stringify([...fromWidget].sort());
  if (!same) {
    failures++;
    console.error(`track ${section}\n  validate (exit ${run.status}): ${JSON.stringify(fromCli)}\n  widget:  ${JSON.stringify(fromWidget)}`);
  }
}
console.log(`${sections.length - failures}/${sections.length} track sections: validate and the widget warn alike`);
process.exit(failures ? 1 : 0);
