// Two collectors on one PostgreSQL database behind Debian's nginx (collector/nginx/several.conf),
// all real processes on loopback: under a load of batches one collector is killed with SIGKILL
// and started again. Afterwards every acknowledged signal is stored exactly once, forwarding went
// on from the survivor, and both collectors give the same leads.
// usage: node --test tests/cluster_test.mjs   (env: COLLECTOR, WASM_DIR; needs Debian's postgresql
// and nginx, which scripts/setup installs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createMqlscoreCore from '../wasm/mqlscore-core.mjs';
import { mqlEvidence } from './fixtures/mql-evidence.mjs';

const collectorBinary = process.env.COLLECTOR || 'build/native/collector/mqlscore-collector';
const wasmDir = process.env.WASM_DIR || 'build/wasm/wasm';
const rulesPath = 'examples/b2b-saas.rules.json';
let work;
let pgDir;
let db;
let nginx;
let balancer;  // nginx's address
const collectors = [];  // { port, child }
let hook;
const forwarded = [];  // [signal id, ms since the epoch], as the webhook took them
let template;

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
});

async function until(condition, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startCollector(port) {
  const child = spawn(collectorBinary, ['--listen', `127.0.0.1:${port}`, '--db', db, '--rules', rulesPath,
    '--rate-limit', '0', '--forward', `http://127.0.0.1:${hook.address().port}/hook`], { stdio: 'ignore' });
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  await until(async () => {
    try { return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok; } catch { return false; }
  }, `the collector on ${port}`);
  return child;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'mqlscore-cluster-'));
  chmodSync(work, 0o755);
  pgDir = `${work}-postgres`;
  const pgPort = await freePort();
  const started = spawnSync('scripts/pg-scratch', ['start', pgDir, String(pgPort)], { encoding: 'utf8' });
  assert.equal(started.status, 0, started.stderr);
  assert.equal(spawnSync('scripts/pg-scratch', ['createdb', pgDir, String(pgPort), 'leads']).status, 0);
  db = `postgresql://postgres@127.0.0.1:${pgPort}/leads`;

  hook = createHttpServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    forwarded.push([JSON.parse(body).id, Date.now()]);
    setTimeout(() => res.writeHead(200).end(), 2);  // a downstream that takes its time
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    collectors.push({ port, child: await startCollector(port) });
  }

  for (const dir of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(work, dir));
    chmodSync(join(work, dir), 0o777);  // nginx's workers run as nobody when the test runs as root
  }
  const port = await freePort();
  balancer = `http://127.0.0.1:${port}`;
  writeFileSync(join(work, 'nginx.conf'), readFileSync('collector/nginx/several.conf', 'utf8')
    .replaceAll('@WORK@', work)
    .replace('@LISTEN@', `127.0.0.1:${port}`)
    .replace('@SERVERS@', collectors.map((c) => `server 127.0.0.1:${c.port} max_fails=1 fail_timeout=2s;`).join('\n    ')));
  nginx = spawn('/usr/sbin/nginx', ['-c', join(work, 'nginx.conf'), '-e', join(work, 'nginx-error.log')], { stdio: 'ignore' });
  await until(async () => {
    try { return (await fetch(`${balancer}/healthz`)).ok; } catch { return false; }
  }, 'nginx');

  const core = await createMqlscoreCore({ wasmBinary: readFileSync(join(wasmDir, 'mqlscore-core.wasm')) });
  const rules = new core.Rules(readFileSync(rulesPath, 'utf8'));
  const scorer = new core.Visitor(rules, 'VISITOR');
  let mql;
  for (const event of mqlEvidence) mql = scorer.track(event).signals.at(-1) ?? mql;
  template = JSON.stringify({ ...mql, id: 'ID', rules_hash: rules.hash(), evidence: mqlEvidence, evidence_complete: true });
});

after(async () => {
  for (const child of [nginx, ...collectors.map((c) => c.child)]) {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  hook?.close();
  spawnSync('scripts/pg-scratch', ['stop', pgDir]);
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
});

// A batch of ten honest MQL signals of ten new visitors, as the widget sends them.
let sent = 0;
function batch() {
  const signals = [];
  for (let i = 0; i < 10; i++) {
    const id = `c${++sent}`;
    signals.push(JSON.parse(template.replace('"ID"', `"${id}"`).replace('"VISITOR"', `"v-${id}"`)));
  }
  return { site: 'acme', signals };
}

test('two collectors on one PostgreSQL behind nginx: one killed with SIGKILL under load and restarted; every acknowledged signal is stored once, forwarded, and both give the same leads', async () => {
  const acknowledged = [];
  let stop = false;
  let failed = 0;
  const sender = async () => {
    while (!stop) {
      const body = batch();
      try {
        const answer = await fetch(`${balancer}/v1/signals`, { method: 'POST', body: JSON.stringify(body) });
        if (answer.ok) acknowledged.push(...body.signals.map((s) => s.id));
        else failed++;
      } catch { failed++; }
    }
  };
  const senders = Array.from({ length: 6 }, sender);
  await new Promise((r) => setTimeout(r, 1500));
  const victim = collectors[0];
  victim.child.kill('SIGKILL');
  await victim.child.exited;
  const killedAt = Date.now();
  await new Promise((r) => setTimeout(r, 1500));  // the survivor alone
  victim.child = await startCollector(victim.port);
  const restartedAt = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  stop = true;
  await Promise.all(senders);
  assert.ok(acknowledged.length >= 500, `only ${acknowledged.length} signals acknowledged`);

  // Stored once: the database holds each acknowledged id, and no id twice.
  const psql = (sql) => spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', db, '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const stored = psql('SELECT id FROM signals').stdout.trim().split('\n');
  assert.equal(new Set(stored).size, stored.length, 'no id twice');
  const storedSet = new Set(stored);
  const missing = acknowledged.filter((id) => !storedSet.has(id));
  assert.deepEqual(missing, [], 'every acknowledged signal is stored');
  assert.equal(psql("SELECT count(*) FROM signals WHERE verdict != 'verified'").stdout.trim(), '0');

  // Forwarded: every stored signal reached the webhook and left the outbox (the one the killed
  // collector had in hand, if any, once its 30 s lease ran out); while the victim was down, the
  // survivor sent; a signal went out twice only if the killed collector had it in hand.
  await until(() => {
    const reached = new Set(forwarded.map(([id]) => id));
    return stored.every((id) => reached.has(id)) && psql('SELECT count(*) FROM forward_outbox').stdout.trim() === '0';
  }, 'every signal forwarded', 90000);
  assert.ok(forwarded.some(([, at]) => at > killedAt && at < restartedAt), 'the survivor forwarded while the other was down');
  assert.ok(forwarded.length - new Set(forwarded.map(([id]) => id)).size <= 1, 'no signal sent twice but the killed one\'s');

  // The same leads from either collector.
  const leadsOf = async (port, query) => {
    const answer = await fetch(`http://127.0.0.1:${port}/v1/leads?${query}`);
    assert.equal(answer.status, 200);
    return [answer.headers.get('x-total-count'), await answer.text()];
  };
  for (const query of ['limit=100', 'sort=score&order=asc&limit=50&offset=100', 'q=v-c1&limit=20']) {
    const [first, second] = await Promise.all(collectors.map((c) => leadsOf(c.port, query)));
    assert.deepEqual(first, second, query);
  }
  const [total] = await leadsOf(collectors[1].port, 'limit=1');
  assert.equal(Number(total), stored.length, 'one lead per stored visitor');
  const one = acknowledged[0];
  const [a, b] = await Promise.all(collectors.map(async (c) => (await fetch(`http://127.0.0.1:${c.port}/v1/leads/v-${one}`)).json()));
  assert.deepEqual(a, b);
  assert.equal(a.signals.length, 1);
  console.log(`# acknowledged ${acknowledged.length}, refused or failed ${failed} batches, forwarded ${forwarded.length}`);
});
