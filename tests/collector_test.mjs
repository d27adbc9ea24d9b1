// mqlscore-collector end to end, against the real server process on loopback.
// usage: node --test tests/collector_test.mjs   (env: COLLECTOR, WASM_DIR; run from the repository root)
// With MQLSCORE_TEST_POSTGRES=1, the same tests against PostgreSQL: a cluster of their own
// (scripts/pg-scratch), one database for each database file the SQLite run uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createMqlscoreCore from '../wasm/mqlscore-core.mjs';
import { mqlEvidence } from './fixtures/mql-evidence.mjs';

const collector = process.env.COLLECTOR || 'build/native/collector/mqlscore-collector';
const wasmDir = process.env.WASM_DIR || 'build/wasm/wasm';
const rulesPath = 'examples/b2b-saas.rules.json';
let server;
let log = '';  // what the collector wrote to stderr
let base;
let work;
let core;
let rules;
const postgres = process.env.MQLSCORE_TEST_POSTGRES === '1';
let pgDir;
let pgPort;

// The --db of a store named `name` (an SQLite file name): that file in the work folder, or a new
// PostgreSQL database of that name.
const created = new Set();
function dbOf(name) {
  if (!postgres) return join(work, name);
  const database = name.replace(/\.sqlite$/, '').replace(/[^a-z0-9]/g, '_');
  if (!created.has(database)) {
    const made = spawnSync('scripts/pg-scratch', ['createdb', pgDir, String(pgPort), database], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    created.add(database);
  }
  return `postgresql://postgres@127.0.0.1:${pgPort}/${database}`;
}

// One statement's rows on the PostgreSQL database `db`, as psql prints them unaligned.
function psqlOn(db, sql) {
  return spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', db, '-c', sql], { encoding: 'utf8' }).stdout.trim();
}

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
});

// Another collector with `args` (after --listen and --rules), stopped when test `t` ends;
// resolves with its address once it answers.
async function startCollector(t, db, args = []) {
  const port = await freePort();
  const child = spawn(collector, ['--listen', `127.0.0.1:${port}`, '--db', dbOf(db), '--rules', rulesPath, ...args], { stdio: 'ignore' });
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  });
  const at = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${at}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return at;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'mqlscore-collector-'));
  if (postgres) {
    pgDir = `${work}-postgres`;  // outside `work`, which the server's user cannot enter
    pgPort = await freePort();
    const started = spawnSync('scripts/pg-scratch', ['start', pgDir, String(pgPort)], { encoding: 'utf8' });
    assert.equal(started.status, 0, started.stderr);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(collector, ['--listen', `127.0.0.1:${port}`, '--db', dbOf('leads.sqlite'), '--rules', rulesPath,
    '--allow-origin', 'HTTPS://www.acme.com/'], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (chunk) => { log += chunk; });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  core = await createMqlscoreCore({ wasmBinary: readFileSync(join(wasmDir, 'mqlscore-core.wasm')) });
  rules = new core.Rules(readFileSync(rulesPath, 'utf8'));
});
after(async () => {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGKILL');
    await exited;  // its files must be closed before the folder goes
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  if (postgres) spawnSync('scripts/pg-scratch', ['stop', pgDir]);
});

let counter = 0;
// An honest MQL signal, made the way the widget makes it for a visitor's first signal (the whole
// history as evidence); with `everyStage`, every stage change on the way, chained as the widget
// chains them: each names the one before and carries the events since (docs/signals.md).
function honestSignal(visitor, everyStage = false, evidence = mqlEvidence) {
  counter++;
  const scorer = new core.Visitor(rules, visitor);
  const changes = [];  // [signal, index of the event that raised it]
  for (let i = 0; i < evidence.length; i++) {
    for (const change of scorer.track(evidence[i]).signals) changes.push([change, i]);
  }
  scorer.delete();
  const base = (change, n) => ({ ...change, id: `sig-${counter}-${n}`, rules_hash: rules.hash(), evidence_complete: true });
  const [mql, at] = changes.at(-1);
  assert.equal(mql.to, 'mql');
  if (!everyStage) return { ...base(mql, changes.length - 1), evidence: evidence.slice(0, at + 1) };
  let since = 0;
  let previous;
  return changes.map(([change, i], n) => {
    const signal = { ...base(change, n), evidence: evidence.slice(since, i + 1) };
    if (previous !== undefined) signal.previous = previous;
    // One event's changes share their evidence; the next signal names the last of them.
    if (n + 1 === changes.length || changes[n + 1][1] !== i) {
      previous = signal.id;
      since = i + 1;
    }
    return signal;
  });
}

const post = (body, headers = {}) => fetch(`${base}/v1/signals`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'text/plain', ...headers } });
const lead = async (visitor) => { const r = await fetch(`${base}/v1/leads/${encodeURIComponent(visitor)}`); return r.status === 200 ? r.json() : null; };

test('an honest signal is stored as verified and shows up as a lead', async () => {
  const signal = honestSignal('v-honest');
  const response = await post({ site: 'acme', signals: [signal] });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { accepted: 1, stored: 1 });
  const stored = await lead('v-honest');
  assert.equal(stored.signals.length, 1);
  assert.equal(stored.signals[0].verdict, 'verified');
  assert.equal(stored.signals[0].to, 'mql');
  const leads = await (await fetch(`${base}/v1/leads`)).json();
  assert.ok(leads.some((l) => l.visitor === 'v-honest' && l.verdict === 'verified'));
});

test('the same batch twice is stored once', async () => {
  const batch = { site: 'acme', signals: [honestSignal('v-twice')] };
  await post(batch);
  const again = await post(batch);
  assert.deepEqual(await again.json(), { accepted: 1, stored: 0 });
  assert.equal((await lead('v-twice')).signals.length, 1);
});

test('tampered signals are stored as mismatch; rules or stages the collector does not have are refused', async () => {
  const raised = { ...honestSignal('v-raised'), score: 500 };
  const skipped = { ...honestSignal('v-skipped'), from: 'visitor', to: 'sql' };
  const unearned = { ...honestSignal('v-unearned') };
  unearned.evidence = unearned.evidence.slice(0, 1);
  await post({ site: 'acme', signals: [raised, skipped, unearned] });
  assert.equal((await lead('v-raised')).signals[0].verdict, 'mismatch');
  assert.equal((await lead('v-skipped')).signals[0].verdict, 'mismatch');
  assert.equal((await lead('v-unearned')).signals[0].verdict, 'mismatch');
  const unknown = await post({ site: 'acme', signals: [honestSignal('v-ok'), { ...honestSignal('v-unknown'), rules_hash: '0000000000000000' }] });
  assert.equal(unknown.status, 400);
  assert.equal((await unknown.json()).error,
    "signals[1]: rules_hash 0000000000000000 is none of the collector's rules files (mqlscore hash RULES.json; give each with --rules)");
  const stage = await post({ site: 'acme', signals: [{ ...honestSignal('v-stage'), to: 'hot-lead' }] });
  assert.equal((await stage.json()).error, `signals[0]: to "hot-lead" is not a stage of the rules file ${rules.hash()}`);
  assert.equal(await lead('v-ok'), null, 'a refused batch stores nothing');
});

test('signals from another time are refused; reasons the replay does not give are a mismatch and stored as rule ids and points', async () => {
  const window = ' must be within the last 3650 days and at most a day after the collector\'s clock';
  for (const ts of [Date.UTC(2100, 0, 1), 0, -1e12, 1e300]) {
    const answer = await post({ site: 'acme', signals: [{ ...honestSignal(`v-when-${ts}`), ts }] });
    assert.equal(answer.status, 400, String(ts));
    assert.equal((await answer.json()).error, `signals[0]: ts${window}`);
  }
  const forged = honestSignal('v-forged-reasons');
  forged.reasons = [{ rule: '<img src=x onerror=alert(1)>', points: 99999 }];
  assert.equal((await post({ site: 'acme', signals: [forged] })).status, 200);
  const stored = (await lead('v-forged-reasons')).signals[0];
  assert.equal(stored.verdict, 'mismatch');
  assert.deepEqual(Object.keys(stored.reasons[0]).sort(), ['points', 'rule']);
});

test('a known visitor id alone cannot rewrite a verified lead', async () => {
  const honest = honestSignal('v-known');
  await post({ site: 'acme', signals: [honest] });
  // Someone who learnt the id posts an honest-looking history of their own for it, made with the
  // project's own core: it does not continue the visitor's chain.
  const forged = { ...honestSignal('v-known'), id: 'sig-forged-known' };
  assert.equal((await post({ site: 'acme', signals: [forged] })).status, 200);
  const stored = await lead('v-known');
  assert.deepEqual(stored.signals.map((s) => s.verdict), ['verified', 'unverifiable']);
  const leads = await (await fetch(`${base}/v1/leads`)).json();
  assert.equal(leads.find((l) => l.visitor === 'v-known').id, honest.id, 'the lead stays its verified signal');
});

test('an honest signal of a long history (evidence without its oldest events) is unverifiable, not a mismatch', async () => {
  // identify first, then 225 events no rule scores, then what makes the MQL: the widget keeps the
  // latest 200 as evidence, so the replay never sees the traits.
  const [pricing, identify, cta, form] = mqlEvidence;
  const history = [{ ...identify, ts: pricing.ts - 300000 }];
  for (let i = 0; i < 225; i++) history.push({ type: 'video_play', ts: pricing.ts - 200000 + i * 100, props: { i } });
  history.push(pricing, { ...cta }, { ...form });
  const scorer = new core.Visitor(rules, 'v-long');
  let mql = null;
  for (const event of history) {
    for (const change of scorer.track(event).signals) if (change.to === 'mql') mql = change;
  }
  scorer.delete();
  assert.ok(mql, 'the history makes an MQL');
  const evidence = history.slice(-200);
  const signal = { ...mql, id: 'sig-long-1', rules_hash: rules.hash(), evidence, evidence_complete: false };
  assert.equal((await post({ site: 'acme', signals: [signal] })).status, 200);
  assert.equal((await lead('v-long')).signals[0].verdict, 'unverifiable');
  const forged = { ...signal, id: 'sig-long-2', visitor: 'v-forged', evidence_complete: true };
  assert.equal((await post({ site: 'acme', signals: [forged] })).status, 200);
  assert.equal((await lead('v-forged')).signals[0].verdict, 'mismatch');
});

test('the handoff: a verified MQL is a new lead with who it is; sales accepts, wins; a CRM export imports; the export feeds backtest', async () => {
  const withEmail = mqlEvidence.map((e) => (e.type === 'identify'
    ? { ...e, traits: { ...e.traits, email: 'Ann@Northwind.com', first_name: 'Ann', last_name: 'Lee', company: 'Northwind' } } : e));
  const signal = honestSignal('v-handoff', false, withEmail);
  await post({ site: 'acme', signals: [signal, honestSignal('v-handoff-2')] });
  const leads = await (await fetch(`${base}/v1/leads`)).json();
  const listed = leads.find((l) => l.visitor === 'v-handoff');
  assert.equal(listed.status, 'new');
  assert.deepEqual(listed.person, { email: 'Ann@Northwind.com', name: 'Ann Lee', company: 'Northwind', title: 'VP Marketing' });
  assert.equal(listed.traits.employees, 500);
  const setStatus = (visitor, body, headers = {}) => fetch(`${base}/v1/leads/${visitor}/status`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  assert.equal((await setStatus('v-handoff', { status: 'won' })).status, 400);
  assert.equal((await (await setStatus('v-handoff', { status: 'won' })).json()).error, 'a lead that is new can become accepted or rejected, not won');
  assert.equal((await (await setStatus('v-handoff', { status: 'rejected' })).json()).error, 'a rejected lead needs a reason ("reason": "no budget this year")');
  assert.equal((await setStatus('v-handoff', { status: 'accepted' }, { Origin: 'https://evil.example' })).status, 403);
  const accepted = await setStatus('v-handoff', { status: 'accepted' });
  assert.equal(accepted.status, 200);
  assert.deepEqual((await accepted.json()).map((c) => [c.status, c.by]), [['new', 'mqlscore'], ['accepted', 'localhost']]);
  assert.equal((await setStatus('v-nobody', { status: 'accepted' })).status, 404);
  const lead = await (await fetch(`${base}/v1/leads/v-handoff`)).json();
  assert.equal(lead.status, 'accepted');

  // A CRM export: by e-mail (any case), by visitor, and one the collector does not know.
  const csv = 'email,visitor,outcome,ts\n ANN@northwind.com ,,sql,2026-01-06T09:00:00Z\n,v-handoff-2,rejected,2026-01-06T10:00:00Z\nbob@nowhere.com,,won,\n';
  const imported = await fetch(`${base}/v1/outcomes`, { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.deepEqual(await imported.json(), { imported: 2, unmatched: 1 });
  const bad = await fetch(`${base}/v1/outcomes`, { method: 'POST', body: 'visitor,outcome\nv,s q l\n' });
  assert.equal((await bad.json()).error, 'outcomes: line 2: outcome must be 1 to 64 of A-Z a-z 0-9 _ . - (got "s q l")');
  const exported = await (await fetch(`${base}/v1/outcomes.csv`)).text();
  assert.match(exported, /^"visitor","email","outcome","ts"\r\n/);
  assert.ok(exported.includes('"v-handoff","ann@northwind.com","accepted",'));
  assert.ok(exported.includes('"v-handoff","ann@northwind.com","sql","2026-01-06T09:00:00Z"'));
  assert.ok(exported.includes('"v-handoff-2","","rejected","2026-01-06T10:00:00Z"'));

  // What sales said, read by the backtest against the same visitors' events.
  writeFileSync(join(work, 'exported.csv'), exported);
  writeFileSync(join(work, 'handoff.jsonl'), [...withEmail.map((e) => ({ ...e, visitor: 'v-handoff' })),
    ...mqlEvidence.map((e) => ({ ...e, visitor: 'v-handoff-2' }))].map((e) => JSON.stringify(e)).join('\n') + '\n');
  const backtest = spawnSync('build/native/cli/mqlscore', ['backtest', '--rules', rulesPath, '--outcomes', join(work, 'exported.csv'),
    '--json', join(work, 'handoff.jsonl')], { encoding: 'utf8' });
  assert.equal(backtest.status, 0, backtest.stderr);
  const figures = JSON.parse(backtest.stdout);
  assert.deepEqual([figures.visitors, figures.positives], [2, 1]);
});

// The evidence of an MQL who says who they are; `extra` traits on top, `url` for its first page.
function evidenceOf(traits, url = 'https://www.acme.com/pricing') {
  return mqlEvidence.map((e) => (e.type === 'identify' ? { ...e, traits: { ...e.traits, ...traits } }
    : e.type === 'page_view' ? { ...e, url } : e));
}

test('the lead cockpit: one person across devices, accounts without free mail, filters, search, CSV, a timeline, the funnel and campaigns', async (t) => {
  const at = await startCollector(t, 'cockpit.sqlite');
  const send = (signals) => fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals }) });
  const get = async (path) => { const r = await fetch(`${at}${path}`); assert.equal(r.status, 200, path); return r.json(); };
  const ann = { email: 'Ann@Northwind.com', name: 'Ann Lee', company: 'Northwind' };
  // Ann on her laptop, then on her phone (the same e-mail); Bob of Northwind; Carol with gmail at
  // Fabrikam; Dan with gmail and no company; someone who never says who they are.
  assert.equal((await send([
    honestSignal('v-ann-laptop', false, evidenceOf(ann, 'https://www.acme.com/pricing?utm_source=linkedin&utm_campaign=q4-abm')),
    honestSignal('v-bob', false, evidenceOf({ email: 'bob@northwind.com', name: 'Bob Ng', company: 'Northwind' })),
    honestSignal('v-carol', false, evidenceOf({ email: 'carol@gmail.com', name: 'Carol Diaz', company: 'Fabrikam' })),
    honestSignal('v-dan', false, evidenceOf({ email: 'dan@gmail.com', name: 'Dan Wu' })),
    honestSignal('v-anon'),
  ])).status, 200);
  const phone = honestSignal('v-ann-phone', false, evidenceOf(ann).map((e) => ({ ...e, ts: e.ts + 3600000 })));
  assert.equal((await send([phone])).status, 200);

  // One row per person: Ann once, as her latest device, with both visitors.
  const leads = await get('/v1/leads?limit=50');
  const annRows = leads.filter((l) => l.person.email === 'Ann@Northwind.com');
  assert.equal(annRows.length, 1);
  assert.equal(annRows[0].visitor, 'v-ann-phone');
  assert.deepEqual(annRows[0].visitors, ['v-ann-phone', 'v-ann-laptop']);
  assert.equal(annRows[0].account, 'northwind.com');
  assert.equal(leads.length, 5);
  const person = await get('/v1/leads/v-ann-laptop');
  assert.deepEqual([...new Set(person.signals.map((s) => s.visitor))], ['v-ann-laptop', 'v-ann-phone'], 'her signals together');

  // Filters, search, sort, pages and the total.
  const total = async (query) => Number((await fetch(`${at}/v1/leads?${query}`)).headers.get('x-total-count'));
  assert.equal(await total(''), 5);
  assert.equal(await total('q=northwind'), 2);
  assert.equal(await total('q=CAROL'), 1);
  assert.equal(await total('q=%25'), 0, 'a % is a character, not a wildcard');
  assert.equal(await total('account=northwind.com'), 2);
  assert.equal(await total('stage=mql&status=new&verdict=verified'), 5);
  assert.equal(await total('stage=sql'), 0);
  assert.equal(await total(`since=${Date.UTC(2026, 0, 5, 10, 30)}`), 1, 'only the phone was active after 10:30');
  assert.equal(await total('until=2026-01-04'), 0);
  const byName = await get('/v1/leads?sort=name&order=asc&limit=2');
  assert.deepEqual(byName.map((l) => l.person.name), [null, 'Ann Lee']);
  const second = await get('/v1/leads?sort=name&order=asc&limit=2&offset=2');
  assert.deepEqual(second.map((l) => l.person.name), ['Bob Ng', 'Carol Diaz']);
  for (const [query, message] of [['sort=height', 'sort must be one of last_activity, score, engagement, fit, name, email, company, stage, status'],
    ['order=up', 'order must be asc or desc'], ['since=yesterday', 'since must be ms since the epoch, a date or an RFC 3339 time'],
    ['limit=0', 'limit must be 1 to 1000 and offset a whole number']]) {
    const answer = await fetch(`${at}/v1/leads?${query}`);
    assert.equal(answer.status, 400, query);
    assert.equal((await answer.json()).error, message);
  }
  const csv = await (await fetch(`${at}/v1/leads.csv?q=northwind&sort=name&order=asc`)).text();
  assert.equal(csv.split('\r\n')[0], 'visitor,email,name,company,account,stage,score,engagement,fit,verdict,status,last_activity');
  assert.match(csv.split('\r\n')[1], /^v-ann-phone,ann@northwind\.com,Ann Lee,Northwind,northwind\.com,mql,/);
  assert.equal(csv.split('\r\n').filter(Boolean).length, 3);

  // Accounts: by domain, gmail by its company trait, gmail without one in none.
  const accounts = await get('/v1/accounts');
  assert.deepEqual(accounts.map((a) => [a.account, a.name, a.people, a.visitors]).sort(),
    [['fabrikam', 'Fabrikam', 1, 1], ['northwind.com', 'Northwind', 2, 3]]);
  const northwind = accounts.find((a) => a.account === 'northwind.com');
  assert.equal(northwind.best_stage, 'mql');
  assert.equal(northwind.stage, '', 'decayed since January (30-day half-life) below the 60 of an engaged account');
  assert.ok(northwind.engagement < 1);
  const account = await get('/v1/accounts/northwind.com');
  assert.deepEqual(account.members.map((m) => m.visitor).sort(), ['v-ann-phone', 'v-bob']);
  assert.deepEqual(account.signals.map((s) => s.visitor), ['v-ann-laptop', 'v-bob', 'v-ann-phone']);
  assert.equal((await fetch(`${at}/v1/accounts/nowhere.com`)).status, 404);
  const noEvidence = await fetch(`${at}/v1/leads/v-nobody/timeline`);
  assert.equal(noEvidence.status, 404);
  assert.equal((await noEvidence.json()).error, 'no verified evidence for this visitor');
  for (const weeks of ['0', '261', 'x']) {
    const answer = await fetch(`${at}/v1/funnel?weeks=${weeks}`);
    assert.equal(answer.status, 400, weeks);
    assert.equal((await answer.json()).error, 'weeks must be 1 to 260');
  }

  // The timeline, replayed from the stored evidence: each event and what it earned.
  const timeline = await get('/v1/leads/v-ann-laptop/timeline');
  assert.deepEqual(timeline.events.map((e) => e.type), ['page_view', 'identify', 'cta_click', 'form_submit']);
  assert.equal(timeline.events[0].label, '/pricing');
  assert.deepEqual(timeline.events[3].awards.map((a) => [a.rule, a.points]), [['demo-request', 50]]);
  assert.equal(timeline.events.at(-1).stage, 'mql');
  assert.ok(timeline.curve.length > timeline.events.length, 'decay points up to now');
  assert.ok(timeline.curve.at(-1).engagement < timeline.events.at(-1).engagement);

  // Sales: Ann accepted, then SQL; Bob rejected.
  const status = (visitor, body) => fetch(`${at}/v1/leads/${visitor}/status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await status('v-ann-phone', { status: 'accepted' })).status, 200);
  assert.equal((await status('v-ann-phone', { status: 'sql' })).status, 200);
  assert.equal((await status('v-bob', { status: 'rejected', reason: 'student' })).status, 200);
  assert.equal(await total('status=sql'), 1);
  const funnel = await get('/v1/funnel?weeks=52');
  assert.deepEqual(funnel.steps.map((s) => [s.step, s.reached]),
    [['visitors', 6], ['engaged', 6], ['mql', 6], ['accepted', 1], ['sql', 1], ['won', 0]]);
  assert.equal(funnel.steps[3].rate, 0.166667);
  assert.equal(funnel.steps[0].rate, null);
  assert.equal(funnel.weeks.length, 52);
  assert.equal(funnel.weeks.find((w) => w.starts === '2026-01-05').reached.mql, 6);
  const campaigns = await get('/v1/campaigns');
  assert.deepEqual(campaigns.filter((c) => c.by === 'rule').map((c) => [c.key, c.mqls, c.sqls]), [['demo-request', 6, 1]]);
  assert.deepEqual(campaigns.filter((c) => c.by === 'utm_source').map((c) => [c.key, c.mqls, c.sqls]), [['', 5, 1], ['linkedin', 1, 0]]);
  assert.deepEqual(campaigns.find((c) => c.key === 'q4-abm'), { by: 'utm_campaign', key: 'q4-abm', mqls: 1, sqls: 0, sql_rate: 0 });
});

// The leads of a collector on one of the fixture databases (tests/fixtures/collector), once each
// visitor's signals and each lead's status are checked against schema-1.json.
async function fixtureLeads(at) {
  const { visitors, statuses } = JSON.parse(readFileSync('tests/fixtures/collector/schema-1.json', 'utf8'));
  for (const [visitor, ids] of Object.entries(visitors)) {
    const lead = await (await fetch(`${at}/v1/leads/${visitor}`)).json();
    assert.deepEqual(lead.signals.map((s) => s.id), ids, visitor);
  }
  const leads = await (await fetch(`${at}/v1/leads?limit=100`)).json();
  assert.equal(leads.length, Object.keys(visitors).length);
  for (const [visitor, status] of Object.entries(statuses)) {
    assert.equal(leads.find((l) => l.visitor === visitor).status, status, visitor);
  }
  // Each lead once by score too, highest first (PostgreSQL's migration rebuilt that sort's index).
  const byScore = await (await fetch(`${at}/v1/leads?limit=100&sort=score`)).json();
  assert.deepEqual(byScore.map((l) => l.visitor).sort(), leads.map((l) => l.visitor).sort());
  assert.deepEqual(byScore.map((l) => l.score), leads.map((l) => l.score).sort((a, b) => b - a));
  return leads;
}

for (const [version, made, opened] of [[1, 'the collector of 2026-12-04', 'migrated'], [2, 'today\'s collector', 'opened']]) {
  test(`a database ${made} wrote (schema ${version}) is ${opened}: every signal is there, the leads indexed; a newer schema is refused`, { skip: postgres && 'an SQLite file' }, async (t) => {
    // tests/fixtures/collector/README.md says how the fixtures were made and what they hold.
    const fixture = `tests/fixtures/collector/schema-${version}.sqlite`;
    copyFileSync(fixture, join(work, `schema-${version}.sqlite`));
    const at = await startCollector(t, `schema-${version}.sqlite`);
    const leads = await fixtureLeads(at);
    assert.equal(leads.find((l) => l.visitor === 'v-ann').account, 'northwind.com', 'indexed from the stored state');
    assert.equal(leads.find((l) => l.visitor === 'v-bob').account, '', 'gmail, no company');

    const newer = readFileSync(fixture);
    newer.writeUInt32BE(99, 60);  // SQLite's user_version
    writeFileSync(join(work, 'schema-99.sqlite'), newer);
    const refused = spawnSync(collector, ['--listen', '127.0.0.1:9', '--db', join(work, 'schema-99.sqlite'), '--rules', rulesPath]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.toString(), `mqlscore-collector: ${join(work, 'schema-99.sqlite')} has schema version 99, newer than this collector's (2): run the collector that wrote it, or a newer one\n`);
  });
}

test('a PostgreSQL database the collector of 2026-12-07 wrote (schema 2, kept as a fixture) is migrated to 3: every signal and status is there', { skip: !postgres && 'PostgreSQL' }, async (t) => {
  // tests/fixtures/collector/README.md says how the fixture was made and what it holds.
  const db = dbOf('postgres-schema-2.sqlite');
  const restored = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, '-f', 'tests/fixtures/collector/postgres-schema-2.sql'], { encoding: 'utf8' });
  assert.equal(restored.status, 0, restored.stderr);
  const at = await startCollector(t, 'postgres-schema-2.sqlite');
  const leads = await fixtureLeads(at);
  assert.equal(leads.find((l) => l.visitor === 'v-ann').account, 'northwind.com');
  assert.equal(psqlOn(db, 'SELECT version FROM mqlscore_schema'), '3');
  assert.equal(psqlOn(db, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE indexname LIKE 'lead_index_by_score%'"), 'lead_index_by_score_visitor');
});

test('on PostgreSQL, a new database gets the tables of schema 3; one of a newer schema is refused, naming both versions, and left as it is', { skip: !postgres && 'PostgreSQL' }, async (t) => {
  const db = dbOf('schema-99.sqlite');
  await startCollector(t, 'schema-99.sqlite');
  assert.equal(psqlOn(db, 'SELECT version FROM mqlscore_schema'), '3');
  psqlOn(db, 'UPDATE mqlscore_schema SET version = 99');
  const refused = spawnSync(collector, ['--listen', '127.0.0.1:9', '--db', db, '--rules', rulesPath]);
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr.toString(), `mqlscore-collector: ${db} has schema version 99, newer than this collector's (3): run the collector that wrote it, or a newer one\n`);
  assert.equal(psqlOn(db, 'SELECT version FROM mqlscore_schema'), '99');
});

test('CORS: allowed origins get the header, others are refused and nothing is stored', async () => {
  const ok = await post({ site: 'acme', signals: [honestSignal('v-cors-ok')] }, { Origin: 'https://www.acme.com' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://www.acme.com');
  const refused = await post({ site: 'acme', signals: [honestSignal('v-cors-no')] }, { Origin: 'https://evil.example' });
  assert.equal(refused.status, 403);
  assert.equal(await lead('v-cors-no'), null);
});

test('a refused origin is logged once with the allowed ones, and its 403 is readable by the page', async () => {
  for (let i = 0; i < 3; i++) {
    const refused = await post({ site: 'acme', signals: [honestSignal('v-cors-log')] }, { Origin: 'http://localhost:3000' });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  }
  await new Promise((r) => setTimeout(r, 100));
  const lines = log.split('\n').filter((line) => line.includes('refused signals from origin "http://localhost:3000"'));
  assert.deepEqual(lines, ['mqlscore-collector: refused signals from origin "http://localhost:3000" (allowed: https://www.acme.com)']);
});

test('--help prints the usage and succeeds; an --allow-origin that is not an origin is refused at start', async () => {
  const help = spawnSync(collector, ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /^usage: mqlscore-collector --listen HOST:PORT/);
  const bad = spawnSync(collector, ['--db', join(work, 'x.sqlite'), '--rules', rulesPath, '--allow-origin', 'https://www.acme.com/pricing']);
  assert.equal(bad.status, 64);
  assert.match(bad.stderr.toString(), /--allow-origin "https:\/\/www.acme.com\/pricing": an origin has no path; an origin is scheme:\/\/host\[:port\]/);
});

test('bad batches get a clean 4xx and store nothing', async () => {
  const good = honestSignal('v-bad');
  const cases = [
    ['malformed JSON', '{"site": "acme", "signals": [', 400],
    ['not an object', '[1,2]', 400],
    ['no signals', { site: 'acme', signals: [] }, 400],
    ['wrong types', { site: 'acme', signals: [{ ...good, ts: 'yesterday' }] }, 400],
    ['bad id', { site: 'acme', signals: [{ ...good, id: 'a b' }] }, 400],
    ['evidence not a list', { site: 'acme', signals: [{ ...good, evidence: {} }] }, 400],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400],
    ['a 10 MB body', JSON.stringify({ site: 'acme', signals: [{ ...good, pad: 'x'.repeat(10 * 1024 * 1024) }] }), 413],
    ['100,000 signals', JSON.stringify({ site: 'acme', signals: Array.from({ length: 100000 }, () => ({ id: 'x' })) }), 413],
  ];
  for (const [name, body, status] of cases) {
    const response = await fetch(`${base}/v1/signals`, { method: 'POST', body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
    assert.equal(response.status, status, name);
    if (status === 400) assert.ok((await response.json()).error, name);
  }
  assert.equal(await lead('v-bad'), null);
});

test('SQL injection strings are stored as plain text in every text field', async () => {
  const evil = "x'); DROP TABLE signals; --";
  const visitor = `v${evil}`;
  const signal = { ...honestSignal(visitor), reasons: [{ rule: `r${evil}`, points: 1 }] };
  const response = await post({ site: `s${evil}`, signals: [signal] });
  assert.equal(response.status, 200);
  const stored = await lead(visitor);
  assert.equal(stored.visitor, visitor);
  assert.equal(stored.signals[0].site, `s${evil}`);
  assert.equal(stored.signals[0].reasons[0].rule, `r${evil}`);
  assert.equal(stored.signals[0].verdict, 'mismatch');
  const leads = await (await fetch(`${base}/v1/leads`)).json();
  assert.ok(leads.some((l) => l.visitor === 'v-honest'), 'the table is still there');
});

test('verified signals reach a downstream webhook that is down, then slow, then up: all of them, in order per visitor', async () => {
  const { createServer: createHttpServer } = await import('node:http');
  const arrived = [];
  let requests = 0;
  const hook = createHttpServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests++;
    if (requests <= 3) return res.writeHead(503).end();                     // down
    if (requests === 4) await new Promise((r) => setTimeout(r, 1500));      // slow
    const signal = JSON.parse(body);
    assert.equal(req.headers['idempotency-key'], signal.id);
    arrived.push(signal);
    res.writeHead(200).end();
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const port = await freePort();
  const forwarding = spawn(collector, ['--listen', `127.0.0.1:${port}`, '--db', dbOf('forward.sqlite'), '--rules', rulesPath,
    '--forward', `http://127.0.0.1:${hook.address().port}/hook`], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* starting */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    const [aEngaged, aMql] = honestSignal('v-fwd-a', true);
    const [bEngaged, bMql] = honestSignal('v-fwd-b', true);
    const tampered = { ...honestSignal('v-fwd-c'), score: 999 };
    const response = await fetch(`http://127.0.0.1:${port}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [aEngaged, bEngaged, tampered] }) });
    assert.equal(response.status, 200);
    await fetch(`http://127.0.0.1:${port}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [bMql, aMql] }) });
    const expected = [aEngaged.id, aMql.id, bEngaged.id, bMql.id];
    for (let i = 0; i < 150 && new Set(arrived.map((s) => s.id)).size < expected.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...new Set(arrived.map((s) => s.id))].sort(), expected.sort());
    for (const [first, second] of [[aEngaged, aMql], [bEngaged, bMql]]) {
      const ids = arrived.map((s) => s.id);
      assert.ok(ids.indexOf(first.id) < ids.lastIndexOf(second.id), 'in order per visitor');
    }
    assert.ok(!arrived.some((s) => s.visitor === 'v-fwd-c'), 'mismatches are not forwarded');
    assert.ok(arrived.every((s) => s.verdict === 'verified'));
  } finally {
    forwarding.kill('SIGKILL');
    hook.close();
  }
});

test('killed with SIGKILL under load, the collector keeps every acknowledged signal, none twice', async () => {
  const port = await freePort();
  const db = dbOf('crash.sqlite');
  const startCollector = async () => {
    const child = spawn(collector, ['--listen', `127.0.0.1:${port}`, '--db', db, '--rules', rulesPath], { stdio: 'ignore' });
    child.exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* starting */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    return child;
  };
  const acknowledged = [];
  for (let round = 0; round < 3; round++) {
    const child = await startCollector();
    const killAt = Date.now() + 300 + round * 200;
    let n = 0;
    while (Date.now() < killAt) {
      const signals = Array.from({ length: 5 }, () => honestSignal(`v-crash-${round}-${n++}`));
      const sending = fetch(`http://127.0.0.1:${port}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals }) })
        .then((r) => { if (r.ok) acknowledged.push(...signals.map((s) => s.visitor)); })
        .catch(() => {});
      if (Date.now() + 20 >= killAt) child.kill('SIGKILL');  // sometimes mid-request
      await sending;
    }
    child.kill('SIGKILL');
    await child.exited;
  }
  assert.ok(acknowledged.length > 20);
  const child = await startCollector();
  try {
    for (const visitor of acknowledged) {
      const stored = await (await fetch(`http://127.0.0.1:${port}/v1/leads/${visitor}`)).json();
      assert.equal(stored.signals.length, 1, visitor);
    }
  } finally {
    child.kill('SIGKILL');
  }
});

test('24 slow clients, one header line every 2 s, do not keep /healthz from answering', async () => {
  const [host, port] = base.slice('http://'.length).split(':');
  const sockets = [];
  const timers = [];
  for (let i = 0; i < 24; i++) {
    const socket = connect(Number(port), host);
    socket.on('error', () => {});
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    timers.push(setInterval(() => socket.write(`X-Slow-${i}: ${Date.now()}\r\n`), 2000));
    sockets.push(socket);
  }
  try {
    await new Promise((r) => setTimeout(r, 2500));
    // On a connection of its own (fetch would reuse a kept-alive one, with its thread).
    const started = Date.now();
    const status = await new Promise((resolve) => {
      const probe = connect(Number(port), host, () => probe.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      const timer = setTimeout(() => { probe.destroy(); resolve('no answer in 3 s'); }, 3000);
      probe.once('data', (data) => { clearTimeout(timer); probe.destroy(); resolve(data.toString().split('\r\n')[0]); });
      probe.on('error', () => {});
    });
    assert.equal(status, 'HTTP/1.1 200 OK');
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  } finally {
    timers.forEach(clearInterval);
    sockets.forEach((socket) => socket.destroy());
  }
});

test('a visitor keeps at most --max-signals-per-visitor signals: more are acknowledged and dropped', async (t) => {
  const at = await startCollector(t, 'capped.sqlite', ['--max-signals-per-visitor', '3', '--rate-limit', '0']);
  const signals = [1, 2, 3, 4, 5].map((n) => ({ ...honestSignal('v-flood'), id: `sig-flood-${n}` }));
  const answer = await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals }) });
  assert.deepEqual(await answer.json(), { accepted: 5, stored: 3 });
  const stored = await (await fetch(`${at}/v1/leads/v-flood`)).json();
  assert.equal(stored.signals.length, 3);
  const other = await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [honestSignal('v-other')] }) });
  assert.deepEqual(await other.json(), { accepted: 1, stored: 1 }, 'other visitors are not held back');
});

test('the database and its journal are readable by their owner only', { skip: postgres && 'SQLite files' }, () => {
  for (const name of ['leads.sqlite', 'leads.sqlite-wal']) {
    assert.equal(statSync(join(work, name)).mode & 0o077, 0, name);
  }
});

test('every answer says nosniff; the API is never cached and answers whole, without Range', async () => {
  const leads = await fetch(`${base}/v1/leads`);
  assert.equal(leads.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(leads.headers.get('cache-control'), 'no-store');
  const ranged = await fetch(`${base}/v1/leads`, { headers: { Range: `bytes=${Array(1000).fill('0-').join(',')}` } });
  assert.equal(ranged.status, 416);
  assert.ok((await ranged.arrayBuffer()).byteLength < 200);
  const control = await post({ site: 'acme', signals: [{ ...honestSignal('v-nul'), visitor: 'a\u0000b' }] });
  assert.equal(control.status, 400);
  assert.match((await control.json()).error, /visitor must be a string of 1 to 128 bytes, without control characters/);
});

test('static files: no dotfiles, no way out of the folder, no NUL, few ranges; the dashboard framed by nobody', async (t) => {
  const root = join(work, 'site');
  mkdirSync(join(root, 'dashboard'), { recursive: true });
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'index.html'), '<h1>hi</h1>');
  writeFileSync(join(root, 'rules.json'), '{}');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(root, '.git', 'config'), '[core]');
  writeFileSync(join(root, 'dashboard', 'index.html'), '<h1>leads</h1>');
  symlinkSync('/etc/passwd', join(root, 'passwd.txt'));
  const site = await startCollector(t, 'static.sqlite', ['--static', root]);
  const index = await fetch(`${site}/index.html`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  for (const path of ['/.env', '/.git/config', '/passwd.txt', '/rules.json%00.html', '/dashboard/../.env']) {
    assert.equal((await fetch(`${site}${path}`)).status, 404, path);
  }
  const dashboard = await fetch(`${site}/dashboard/`);
  assert.equal(dashboard.status, 200);
  assert.match(dashboard.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(dashboard.headers.get('x-frame-options'), 'DENY');
  assert.equal((await fetch(`${site}/index.html`, { headers: { Range: 'bytes=0-1,2-3,4-5,6-7,8-9' } })).status, 416);
  assert.equal((await fetch(`${site}/index.html`, { headers: { Range: 'bytes=0-3' } })).status, 206);
});

test('a new MQL alerts Slack through the durable outbox, through an outage; other stage changes do not', async (t) => {
  const { createServer: createHttpServer } = await import('node:http');
  const messages = [];
  let down = 2;  // the first two attempts find Slack down
  const hook = createHttpServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (down-- > 0) return res.writeHead(503).end();
    messages.push(JSON.parse(body));
    res.writeHead(200).end('ok');
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  t.after(() => hook.close());
  const at = await startCollector(t, 'slack.sqlite', ['--slack-webhook', `http://127.0.0.1:${hook.address().port}/services/T/B/X`,
    '--public-url', 'https://leads.example.com']);
  const withName = mqlEvidence.map((e) => (e.type === 'identify' ? { ...e, traits: { ...e.traits, name: 'Ann Lee', company: 'Northwind' } } : e));
  const chain = honestSignal('v-slack', true, withName);
  assert.ok(chain.length >= 2, 'engaged, then mql');
  await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: chain }) });
  for (let i = 0; i < 100 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(messages.length, 1, 'one alert: the MQL, not the engaged');
  assert.match(messages[0].text, /^New mql: \*Ann Lee\* \(Northwind\), score \d+(\.\d+)?: demo-request 50, /);
  assert.match(messages[0].text, /<https:\/\/leads\.example\.com\/dashboard\/#visitor=v-slack\|Open the lead>$/);
  const state = await (await fetch(`${at}/v1/forwarding?channel=slack`)).json();
  assert.deepEqual(state, { waiting: 0, dead: [] });
});

test('scripts/seed-demo fills a fresh collector with verified leads and their sales outcomes', async (t) => {
  const at = await startCollector(t, 'seeded.sqlite', ['--rate-limit', '0']);
  const run = spawnSync('scripts/seed-demo', [at, '--visitors', '40'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^seeded 40 visitors: \d+ stage changes, \d+ sales outcomes\n$/);
  const leads = await (await fetch(`${at}/v1/leads`)).json();
  assert.ok(leads.length > 10 && leads.every((l) => l.verdict === 'verified'), `${leads.length} leads`);
  assert.ok(leads.some((l) => l.status && l.status !== 'new'), 'some outcomes were imported');
});

test('a signal the webhook refuses for good, or that fails too often, goes to the dead letters and the rest go on; requests are signed', async () => {
  const { createServer: createHttpServer } = await import('node:http');
  const secret = 'shh-0123456789';
  writeFileSync(join(work, 'forward.secret'), `${secret}\n`);
  const [refusedSignal, failingSignal, fine] = [honestSignal('v-dead-a'), honestSignal('v-dead-b'), honestSignal('v-dead-c')];
  const arrived = [];
  const badSignatures = [];
  const hook = createHttpServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const stamp = req.headers['x-mqlscore-timestamp'];
    const expected = `sha256=${createHmac('sha256', secret).update(`${stamp}.${body}`).digest('hex')}`;
    if (req.headers['x-mqlscore-signature'] !== expected || Math.abs(Date.now() / 1000 - Number(stamp)) > 60) badSignatures.push(body);
    const { id } = JSON.parse(body);
    if (id === refusedSignal.id) return res.writeHead(400).end();
    if (id === failingSignal.id) return res.writeHead(503).end();
    arrived.push(id);
    res.writeHead(200).end();
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const port = await freePort();
  const forwarding = spawn(collector, ['--listen', `127.0.0.1:${port}`, '--db', dbOf('dead.sqlite'), '--rules', rulesPath,
    '--forward', `http://127.0.0.1:${hook.address().port}/hook`, '--forward-secret-file', join(work, 'forward.secret'),
    '--forward-max-attempts', '3'], { stdio: 'ignore' });
  try {
    const at = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`${at}/healthz`)).ok) break; } catch { /* starting */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    const posted = await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [refusedSignal, failingSignal, fine] }) });
    assert.equal(posted.status, 200);
    let state = null;
    for (let i = 0; i < 100; i++) {
      state = await (await fetch(`${at}/v1/forwarding`)).json();
      if (state.dead.length === 2 && state.waiting === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(arrived, [fine.id], 'the rest went on');
    assert.equal(state.waiting, 0);
    const dead = Object.fromEntries(state.dead.map((d) => [d.id, d]));
    assert.deepEqual([dead[refusedSignal.id].http_status, dead[refusedSignal.id].reason, dead[refusedSignal.id].attempts], [400, 'refused with HTTP 400', 1]);
    assert.deepEqual([dead[failingSignal.id].http_status, dead[failingSignal.id].attempts], [503, 3]);
    assert.equal(dead[failingSignal.id].reason, 'no success in 3 attempts (last: HTTP 503)');
    assert.deepEqual(badSignatures, []);
  } finally {
    forwarding.kill('SIGKILL');
    hook.close();
  }
});

test('with --admin-token-file the leads need a token or a session; tokens never in a URL; sign-in only from the collector\'s own pages', async (t) => {
  writeFileSync(join(work, 'team.tokens'), '# the team\nann:ann-0123456789abcdef\n');
  const at = await startCollector(t, 'auth.sqlite', ['--admin-token-file', join(work, 'team.tokens')]);
  assert.equal((await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [honestSignal('v-auth')] }) })).status, 200,
    'posting signals needs no token');
  const anonymous = await fetch(`${at}/v1/leads`);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  assert.equal((await fetch(`${at}/v1/leads`, { headers: { Authorization: 'Bearer ann-0123456789abcdeX' } })).status, 401);
  assert.equal((await fetch(`${at}/v1/leads?token=ann-0123456789abcdef`)).status, 401);
  assert.equal((await fetch(`${at}/v1/forwarding`)).status, 401);
  assert.equal((await fetch(`${at}/v1/outcomes.csv`)).status, 401);
  assert.equal((await fetch(`${at}/v1/outcomes`, { method: 'POST', body: 'visitor,outcome\nv,sql\n' })).status, 401);
  assert.equal((await fetch(`${at}/v1/leads/v-auth/status`, { method: 'POST', body: '{"status":"accepted"}' })).status, 401);
  for (const path of ['/v1/leads.csv', '/v1/leads/v-auth', '/v1/leads/v-auth/timeline', '/v1/accounts', '/v1/accounts/acme.com',
    '/v1/funnel', '/v1/campaigns']) {
    assert.equal((await fetch(`${at}${path}`)).status, 401, path);
    assert.notEqual((await fetch(`${at}${path}`, { headers: { Authorization: 'Bearer ann-0123456789abcdef' } })).status, 401, path);
  }
  const bearer = await fetch(`${at}/v1/leads/v-auth`, { headers: { Authorization: 'Bearer ann-0123456789abcdef' } });
  assert.equal(bearer.status, 200);
  const signIn = (origin, token) => fetch(`${at}/v1/session`, { method: 'POST', body: JSON.stringify({ token }),
    headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) } });
  assert.equal((await signIn('https://evil.example', 'ann-0123456789abcdef')).status, 403);
  assert.equal((await signIn(at, 'nope-0123456789abcdef')).status, 401);
  const session = await signIn(at, 'ann-0123456789abcdef');
  assert.equal(session.status, 200);
  assert.deepEqual(await session.json(), { signed_in: 'ann' });
  const cookie = session.headers.get('set-cookie');
  assert.match(cookie, /^mqlscore_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  const withCookie = { Cookie: cookie.split(';')[0] };
  assert.equal((await fetch(`${at}/v1/leads`, { headers: withCookie })).status, 200);
  assert.equal((await fetch(`${at}/v1/session`, { method: 'DELETE', headers: { ...withCookie, Origin: 'https://evil.example' } })).status, 403);
  assert.equal((await fetch(`${at}/v1/session`, { method: 'DELETE', headers: withCookie })).status, 204);
  assert.equal((await fetch(`${at}/v1/leads`, { headers: withCookie })).status, 401);
});

test('with --admin-listen the team\'s routes answer on that address only, and the widget\'s on --listen only', async (t) => {
  const adminPort = await freePort();
  const at = await startCollector(t, 'admin-listen.sqlite', ['--admin-listen', `127.0.0.1:${adminPort}`]);
  const team = `http://127.0.0.1:${adminPort}`;
  assert.equal((await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals: [honestSignal('v-admin-listen')] }) })).status, 200);
  for (const path of ['/v1/leads', '/v1/leads/v-admin-listen', '/v1/accounts', '/v1/funnel', '/v1/forwarding', '/v1/outcomes.csv']) {
    const outside = await fetch(`${at}${path}`);
    assert.equal(outside.status, 404, path);
    assert.equal((await outside.json()).error, "the team's routes answer on --admin-listen only");
    assert.equal((await fetch(`${team}${path}`)).status, 200, path);
  }
  const signal = await fetch(`${team}/v1/signals`, { method: 'POST', body: '{}' });
  assert.equal(signal.status, 404);
  assert.equal((await signal.json()).error, "not on the team's address");
  assert.equal((await fetch(`${team}/healthz`)).status, 200);
  assert.equal((await fetch(`${at}/healthz`)).status, 200);
  const same = spawnSync(collector, ['--listen', '127.0.0.1:9', '--admin-listen', '127.0.0.1:9', '--db', join(work, 'y.sqlite'), '--rules', rulesPath]);
  assert.equal(same.status, 64);
  assert.match(same.stderr.toString(), /^mqlscore-collector: --admin-listen needs a port of its own, not --listen's/);
});

test('without a token file, a client on another host gets 401 for the leads and the dashboard', async (t) => {
  const ip = (...args) => spawnSync('ip', args);
  if (process.getuid?.() !== 0 || ip('netns', 'list').status !== 0) {
    t.skip('needs root and iproute2 to make a second host (a network namespace)');
    return;
  }
  const ns = `mqls${process.pid % 100000}`;
  const [outside, inside] = [`mqv${process.pid % 100000}a`, `mqv${process.pid % 100000}b`];
  const setup = [['netns', 'add', ns], ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside],
    ['link', 'set', inside, 'netns', ns], ['addr', 'add', '10.213.7.1/24', 'dev', outside], ['link', 'set', outside, 'up'],
    ['netns', 'exec', ns, 'ip', 'addr', 'add', '10.213.7.2/24', 'dev', inside], ['netns', 'exec', ns, 'ip', 'link', 'set', inside, 'up']];
  t.after(() => { ip('link', 'del', outside); ip('netns', 'del', ns); });
  for (const args of setup) assert.equal(ip(...args).status, 0, `ip ${args.join(' ')}`);
  const port = await freePort();
  const open = spawn(collector, ['--listen', `0.0.0.0:${port}`, '--db', dbOf('open.sqlite'), '--rules', rulesPath,
    '--static', 'web'], { stdio: 'ignore' });
  t.after(async () => { const exited = once(open, 'exit'); open.kill('SIGKILL'); await exited; });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const fromOutside = (path) => spawnSync('ip', ['netns', 'exec', ns, 'node', '-e',
    `fetch("http://10.213.7.1:${port}${path}").then((r) => console.log(r.status), (e) => console.log("error " + e.message))`]).stdout.toString().trim();
  assert.equal(fromOutside('/v1/leads'), '401');
  assert.equal(fromOutside('/dashboard/'), '401');
  assert.equal(fromOutside('/healthz'), '200');
  assert.equal((await fetch(`http://127.0.0.1:${port}/v1/leads`)).status, 200, 'this machine may');
});

// Sends `head` (and `body`) on a raw connection; resolves with the status line's code.
function raw(head, body = '') {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1', () => { socket.write(head); if (body) socket.end(body); });
    let answer = '';
    socket.on('data', (d) => { answer += d; if (/\r\n\r\n/.test(answer)) { socket.destroy(); resolve(Number(answer.split(' ')[1])); } });
    socket.on('error', reject);
  });
}

test('chunked and compressed batches are refused before their bodies are read', async () => {
  const chunked = raw('POST /v1/signals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    `100000\r\n${'x'.repeat(0x100000)}\r\n`.repeat(4) + '0\r\n\r\n');
  assert.equal(await chunked, 411);
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '));
  const compressed = await fetch(`${base}/v1/signals`, { method: 'POST', body: bomb, headers: { 'Content-Encoding': 'gzip' } });
  assert.equal(compressed.status, 415);
  assert.deepEqual(await compressed.json(), { error: 'send the batch uncompressed' });
});

// Writes `parts` on a raw connection to `at`, one every `every` ms; resolves with the first line
// of the answer and how long it took, or 'no answer' when the connection ends without one.
function dribble(at, parts, every) {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let timer;
    const socket = connect(Number(new URL(at).port), '127.0.0.1', () => {
      let next = 0;
      const send = () => { if (next < parts.length) socket.write(parts[next++]); };
      send();
      timer = setInterval(send, every);
    });
    const done = () => { clearInterval(timer); socket.destroy(); resolve([answer ? answer.split('\r\n')[0] : 'no answer', Date.now() - started, answer]); };
    socket.on('data', (d) => { answer += d; });
    socket.on('end', done);
    socket.on('error', done);
  });
}

test('40,000 header lines are answered 431 at once; a head or body dribbled in past --request-timeout gets 408', async (t) => {
  const headers = Array.from({ length: 40000 }, (_, i) => `X-${i}: y\r\n`).join('');
  const [status, ms, answer] = await dribble(base, [`GET /healthz HTTP/1.1\r\nHost: x\r\n${headers}\r\n`], 10);
  assert.equal(status, 'HTTP/1.1 431 Request Header Fields Too Large');
  assert.ok(ms < 3000, `${ms} ms`);
  assert.match(answer, /"error":"the request head has more than 100 header lines or 65536 bytes"/);
  const longLine = await dribble(base, [`GET /${'a'.repeat(70000)} HTTP/1.1\r\nHost: x\r\n\r\n`], 10);
  assert.equal(longLine[0], 'HTTP/1.1 431 Request Header Fields Too Large');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);

  const at = await startCollector(t, 'deadline.sqlite', ['--request-timeout', '2']);
  const lines = Array.from({ length: 20 }, (_, i) => `X-Slow-${i}: y\r\n`);
  const slowHead = await dribble(at, ['GET /healthz HTTP/1.1\r\nHost: x\r\n', ...lines], 400);
  assert.equal(slowHead[0], 'HTTP/1.1 408 Request Timeout');
  assert.ok(slowHead[1] >= 1900 && slowHead[1] < 4000, `${slowHead[1]} ms`);
  assert.match(slowHead[2], /"error":"the request was not read within 2 s"/);
  const slowBody = await dribble(at, ['POST /v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n',
    ...Array.from({ length: 20 }, () => '{"x":1}')], 400);
  assert.equal(slowBody[0], 'HTTP/1.1 408 Request Timeout');
  // A request read in time on the same server, kept alive for a second one.
  assert.equal((await fetch(`${at}/healthz`)).status, 200);
  assert.equal((await fetch(`${at}/healthz`)).status, 200);
});

test('GET /v1/leads comes in pages, newest first', async (t) => {
  const at = await startCollector(t, 'pages.sqlite');
  const signals = Array.from({ length: 5 }, (_, i) => ({ id: `sig-page-${i}`, type: 'stage_changed', visitor: `v-page-${i}`,
    ts: Date.UTC(2026, 0, 5) + i, from: 'visitor', to: 'mql', engagement: 1, fit: 0, score: 1, reasons: [], rules_hash: rules.hash(), evidence: [] }));
  assert.equal((await fetch(`${at}/v1/signals`, { method: 'POST', body: JSON.stringify({ site: 'acme', signals }) })).status, 200);
  const page = async (query) => (await (await fetch(`${at}/v1/leads${query}`)).json()).map((l) => l.visitor);
  assert.deepEqual(await page(''), ['v-page-4', 'v-page-3', 'v-page-2', 'v-page-1', 'v-page-0']);
  assert.deepEqual(await page('?limit=2'), ['v-page-4', 'v-page-3']);
  assert.deepEqual(await page('?limit=2&offset=2'), ['v-page-2', 'v-page-1']);
  assert.deepEqual(await page('?offset=4'), ['v-page-0']);
  for (const query of ['?limit=0', '?limit=1001', '?limit=ten', '?offset=-1']) {
    const bad = await fetch(`${at}/v1/leads${query}`);
    assert.equal(bad.status, 400, query);
    assert.deepEqual(await bad.json(), { error: 'limit must be 1 to 1000 and offset a whole number' });
  }
});

test('a client that floods gets 429 with Retry-After; --rate-limit 0 lifts it', async (t) => {
  for (const [limit, expectRefusals] of [['3', true], ['0', false]]) {
    const at = await startCollector(t, `rate-${limit}.sqlite`, ['--rate-limit', limit]);
    const answers = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${at}/v1/signals`, { method: 'POST',
        body: JSON.stringify({ site: 'acme', signals: [{ ...honestSignal(`v-rate-${limit}-${i}`), id: `sig-rate-${limit}-${i}` }] }) });
      answers.push([response.status, response.headers.get('retry-after')]);
    }
    const refused = answers.filter(([status]) => status === 429);
    assert.equal(refused.length > 0, expectRefusals, `--rate-limit ${limit}: ${JSON.stringify(answers)}`);
    if (expectRefusals) {
      assert.ok(answers.slice(0, 6).every(([status]) => status === 200), 'the burst (twice the rate) goes through');
      assert.ok(refused.every(([, retry]) => Number(retry) >= 1));
    }
  }
});

test('bad values for the forwarding, rate, request timeout and sign-in options stop the start with a message naming them', () => {
  const start = (...args) => spawnSync(collector, ['--db', join(work, 'x.sqlite'), '--rules', rulesPath, ...args]);
  for (const [args, message] of [
    [['--rate-limit', 'ten'], '--rate-limit needs a whole number of batches a second (0: none), not ten'],
    [['--forward-max-attempts', '0'], '--forward-max-attempts needs a whole number of at least 1, not 0'],
    [['--request-timeout', '0'], '--request-timeout needs a whole number of seconds from 1 to 3600, not 0'],
    [['--forward-secret-file', join(work, 'no-such-secret')], `--forward-secret-file ${join(work, 'no-such-secret')}: no secret on its first line (or it cannot be read)`],
    [['--admin-token-file', join(work, 'no-such-tokens')], `--admin-token-file ${join(work, 'no-such-tokens')}: cannot be read`],
  ]) {
    const run = start(...args);
    assert.equal(run.status, 64, args.join(' '));
    assert.match(run.stderr.toString(), new RegExp(`^mqlscore-collector: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  }
});
