// Properties of `mqlscore diff` and `mqlscore backtest` on random rules and logs (issue 17):
// diff's stage counts and changed visitors are what two `mqlscore score` runs give, and without
// outcome times the backtest's per-stage `reached` is what `score`'s signals say.
// usage: node tests/workbench_property_test.mjs path/to/mqlscore [ROUNDS]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [cli, roundsText = '12'] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'mqlscore-workbench-'));
const example = JSON.parse(readFileSync('examples/b2b-saas.rules.json', 'utf8'));

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

// The example rules with points, minimums, caps and decay drawn at random.
function randomRules() {
  const rules = structuredClone(example);
  for (const rule of rules.rules) rule.points = Math.round((random() * 60 - 10) * 2) / 2;
  let floor = 10;
  for (const stage of rules.stages.slice(0, -1).reverse()) {
    floor += Math.round(random() * 60);
    stage.engagement = floor;
    if (random() < 0.5) stage.fit = Math.round(random() * 50); else delete stage.fit;
    stage.sticky = random() < 0.5;
  }
  rules.caps.engagement = 100 + Math.round(random() * 200);
  rules.decay = { half_life_days: 1 + Math.round(random() * 40) };
  return rules;
}

const scoreLines = (rulesFile, log) => execFileSync(cli, ['score', '--rules', rulesFile, log], { encoding: 'utf8', maxBuffer: 1 << 28 })
  .trim().split('\n').map((line) => JSON.parse(line));

let failures = 0;
const check = (ok, what) => { if (!ok) { failures++; console.error(`FAIL: ${what}`); } };
const rounds = Number(roundsText);
for (let round = 0; round < rounds; round++) {
  const log = join(work, `events-${round}.jsonl`);
  const outcomes = join(work, `outcomes-${round}.csv`);
  execFileSync('node', ['scripts/gen-events', '--visitors', String(20 + Math.floor(random() * 200)), '--seed', String(round + 1),
    '--out', log, '--outcomes', outcomes]);
  const [fileA, fileB] = ['a', 'b'].map((side) => {
    const file = join(work, `rules-${round}-${side}.json`);
    writeFileSync(file, JSON.stringify(randomRules()));
    return file;
  });
  const a = scoreLines(fileA, log);
  const b = scoreLines(fileB, log);
  const diff = JSON.parse(execFileSync(cli, ['diff', '--rules', fileA, '--rules', fileB, '--json', log], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  for (const stage of diff.stages) {
    check(stage.a === a.filter((v) => v.stage === stage.stage).length, `round ${round}: diff's ${stage.stage} under A`);
    check(stage.b === b.filter((v) => v.stage === stage.stage).length, `round ${round}: diff's ${stage.stage} under B`);
  }
  const reachedAt = (visitor) => { const into = [...visitor.signals].reverse().find((s) => s.to === visitor.stage); return into ? into.ts : null; };
  const changed = a.filter((v, i) => v.stage !== b[i].stage || reachedAt(v) !== reachedAt(b[i])).map((v) => v.visitor);
  check(JSON.stringify(changed) === JSON.stringify(diff.changed_visitors.map((c) => c.visitor)), `round ${round}: diff's changed visitors`);

  // No outcome times: every visitor is scored on all its events, as score scores them.
  const timeless = join(work, `timeless-${round}.csv`);
  writeFileSync(timeless, readFileSync(outcomes, 'utf8').split('\n').map((line, i) => (i === 0 || !line ? line : line.replace(/,[^,]*$/, ','))).join('\n'));
  const run = spawnSync(cli, ['backtest', '--rules', fileA, '--outcomes', timeless, '--json', log], { encoding: 'utf8', maxBuffer: 1 << 28 });
  check(run.status === 0, `round ${round}: backtest exit ${run.status}: ${run.stderr}`);
  const backtest = JSON.parse(run.stdout);
  const stages = JSON.parse(readFileSync(fileA, 'utf8')).stages.map((s) => s.name);
  const highest = (visitor) => Math.min(stages.length - 1, ...visitor.signals.map((s) => stages.indexOf(s.to)));
  backtest.stages.forEach((stage, k) => {
    check(stage.reached === a.filter((v) => highest(v) <= k).length, `round ${round}: backtest's reached for ${stage.stage}`);
  });
}
rmSync(work, { recursive: true, force: true });
console.log(`${rounds} rounds of random rules and logs: diff and backtest agree with score${failures ? `; ${failures} failures` : ''}`);
process.exit(failures ? 1 : 0);
