// A test site for the widget on localhost, and a capturing marketing endpoint.
//   GET  /dist/...            the built widget (dist/)
//   GET  /...                 pages from web/test/e2e/site/
//   GET  /rules.json          examples/b2b-saas.rules.json (or the test's override, see /__control)
//   POST /v1/signals          the endpoint: records batches; answers per /__control (200, 503, ...)
//   POST /forms               a form a page sends itself (as a single-page app does): 204
//   GET  /__received          what the endpoint received
//   POST /__control           {"status": 503, "rules": "...text..."} changes the behaviour
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.pdf': 'application/pdf' };

export async function startServer(port = 0) {
  // requests: how many GETs each path had (a preloaded file must be fetched once).
  const state = { status: 200, rules: null, batches: [], headers: {}, wasm404: false, requests: {} };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET') state.requests[url.pathname] = (state.requests[url.pathname] || 0) + 1;
    try {
      if (req.method === 'POST' && url.pathname === '/v1/signals') {
        let body = '';
        for await (const chunk of req) body += chunk;
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (state.status === 200) state.batches.push(JSON.parse(body));
        res.writeHead(state.status, state.headers).end('{}');
        return;
      }
      if (req.method === 'POST' && url.pathname === '/forms') {
        for await (const chunk of req) void chunk;
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === '/__received') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.batches));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/__control') {
        let body = '';
        for await (const chunk of req) body += chunk;
        Object.assign(state, JSON.parse(body));
        res.writeHead(200).end('{}');
        return;
      }
      if (url.pathname === '/rules.json') {
        const text = state.rules ?? await readFile(join(root, 'examples/b2b-saas.rules.json'), 'utf8');
        res.writeHead(state.rules === '404' ? 404 : 200, { 'Content-Type': 'application/json' }).end(text);
        return;
      }
      if (state.wasm404 && url.pathname.endsWith('.wasm')) {
        res.writeHead(404).end('not found');
        return;
      }
      const path = url.pathname.startsWith('/dist/')
        ? join(root, normalize(url.pathname))
        : join(root, 'web/test/e2e/site', normalize(url.pathname === '/' || url.pathname.endsWith('/') ? url.pathname + 'index.html' : url.pathname));
      const data = await readFile(path.includes('.') ? path : path + '.html');
      const headers = { 'Content-Type': TYPES[extname(path)] || 'text/html; charset=utf-8' };
      if (url.pathname.includes('csp')) headers['Content-Security-Policy'] = "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
      res.writeHead(200, headers).end(data);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, state, url: `http://127.0.0.1:${server.address().port}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startServer(Number(process.argv[2] || 8081));
  console.log(`test site on ${url}`);
}
