// The production layout (collector/nginx/mqlscore.conf): Debian's nginx, with TLS, in front of the
// collector on loopback. The repository's file runs as it is, with only the addresses and the
// certificate's paths replaced; the probes of issue 16 go through it.
// usage: node --test tests/nginx_layout_test.mjs   (env: COLLECTOR; needs /usr/sbin/nginx, openssl)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as connectTls } from 'node:tls';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const collectorBinary = process.env.COLLECTOR || 'build/native/collector/mqlscore-collector';
let work;
let collector;
let nginx;
let port;

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => { const { port: p } = probe.address(); probe.close(() => resolve(p)); });
});

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'mqlscore-nginx-'));
  chmodSync(work, 0o755);
  for (const dir of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(work, dir));
    chmodSync(join(work, dir), 0o777);  // nginx's workers run as nobody when the test runs as root
  }
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
  const collectorPort = await freePort();
  port = await freePort();
  writeFileSync(join(work, 'team.tokens'), 'ann:ann-0123456789abcdef\n');
  collector = spawn(collectorBinary, ['--listen', `127.0.0.1:${collectorPort}`, '--db', join(work, 'leads.sqlite'),
    '--rules', 'examples/b2b-saas.rules.json', '--admin-token-file', join(work, 'team.tokens')], { stdio: 'ignore' });
  const site = readFileSync('collector/nginx/mqlscore.conf', 'utf8')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${collectorPort};`)
    .replace('/etc/ssl/certs/collect.example.com.pem', join(work, 'cert.pem'))
    .replace('/etc/ssl/private/collect.example.com.key', join(work, 'key.pem'));
  writeFileSync(join(work, 'site.conf'), site);
  writeFileSync(join(work, 'nginx.conf'), `daemon off;
worker_processes 1;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'error.log')};
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(work, 'client')};
  proxy_temp_path ${join(work, 'proxy')};
  fastcgi_temp_path ${join(work, 'fastcgi')};
  uwsgi_temp_path ${join(work, 'uwsgi')};
  scgi_temp_path ${join(work, 'scgi')};
  include ${join(work, 'site.conf')};
}
`);
  nginx = spawn('/usr/sbin/nginx', ['-c', join(work, 'nginx.conf'), '-p', work], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if ((await get('/healthz')).status === 200) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
});
after(async () => {
  for (const child of [nginx, collector]) {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
});

// An HTTPS request to nginx: {status, body}.
function send(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, rejectUnauthorized: false, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const get = (path, headers) => send('GET', path, { headers });

test('through nginx: the collector answers, the leads need the team\'s token, and X-Forwarded-For from the client counts for nothing', async () => {
  const posted = await send('POST', '/v1/signals', { body: '{"site":"acme","signals":[]}', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(posted.status, 400, 'the collector answers (an empty batch is its 400)');
  assert.match(posted.body, /expected/);
  assert.equal((await get('/v1/leads')).status, 401, 'nginx is on loopback, the client is not the collector\'s machine');
  assert.equal((await get('/v1/leads', { Authorization: 'Bearer ann-0123456789abcdef' })).status, 200);
  assert.equal((await get('/v1/leads', { 'X-Forwarded-For': '127.0.0.1' })).status, 401, 'nginx replaces what the client claims');
});

test('through nginx: 40,000 header lines, a 2 MiB body, chunked or not, are refused before the collector', async () => {
  const headers = {};
  for (let i = 0; i < 40000; i++) headers[`X-H${i}`] = 'v';
  const many = await get('/healthz', headers).catch((error) => ({ status: error.code }));
  assert.ok([400, 431, 494, 'ECONNRESET', 'EPIPE'].includes(many.status), `got ${many.status}`);
  const big = 'x'.repeat(2 * 1024 * 1024);
  assert.equal((await send('POST', '/v1/signals', { body: big })).status, 413);
  assert.equal((await send('POST', '/v1/signals', { body: big, headers: { 'Transfer-Encoding': 'chunked' } })).status, 413);
  assert.equal((await get('/healthz')).status, 200, 'and the collector is fine');
});

test('through nginx: a client that dribbles its headers is cut off after 5 s', async () => {
  const started = Date.now();
  const ended = await new Promise((resolve) => {
    const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    });
    const timer = setInterval(() => socket.write(`X-Slow: ${Date.now()}\r\n`), 1000);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => { clearInterval(timer); resolve(Date.now() - started); });
    setTimeout(() => { clearInterval(timer); socket.destroy(); resolve(null); }, 15000);
  });
  assert.ok(ended !== null && ended < 9000, `closed after ${ended} ms`);
});
