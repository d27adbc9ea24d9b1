// The scoring core for JavaScript: the thin layer over the module and the glue Emscripten
// generates (build/wasm/wasm/mqlscore-core-glue.mjs, imported as #mqlscore-core-glue). It
// downloads and compiles the module itself, so that a failure is one clear rejected promise, and
// gives the binding (bindings.cc) the browser's JSON.parse. Types: mqlscore-core.d.ts.
//
//   const core = await createMqlscoreCore({ wasmUrl });     // or { wasmBinary: bytes }
//   const rules = new core.Rules(text);     // ok(), problems() -> ['/rules/0/...: ...'], hash()
//   const visitor = new core.Visitor(rules, 'v-42');
//   visitor.track({ type: 'page_view', ts: Date.now(), url });  // {ok: true, signals: [...]}
//   visitor.scores(Date.now());             // {engagement, fit, score, stage, reasons}
//   visitor.restore(visitor.snapshot());    // {ok: true} or {ok: false, error}
//   visitor.delete(); rules.delete();       // Embind objects are freed by hand
//
// Events and snapshots are plain JSON data, as JSON.parse returns it. Nothing throws for bad
// input: failures come back as {ok: false, error}.
import createMqlscoreModule from '#mqlscore-core-glue';

/** fetch() of `url` that rejects, naming it `name`, unless the answer is 2xx. */
export async function fetchOk(url, name = url) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {  // offline, blocked by CORS or the page's Content-Security-Policy
    throw new Error(`${name} could not be fetched (${error && error.message})`);
  }
  if (!response.ok) throw new Error(`${name} answered HTTP ${response.status}`);
  return response;
}

// `download` is fetchOk's promise of the module's response, or null with `wasmBinary`.
async function instantiate(download, wasmBinary, imports) {
  if (!download) return (await WebAssembly.instantiate(wasmBinary, imports)).instance;
  const response = await download;
  // Streaming compilation needs the application/wasm type; from a server that labels the file
  // otherwise, the module is compiled from its bytes instead.
  const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
  const { instance } = type === 'application/wasm' && WebAssembly.instantiateStreaming
    ? await WebAssembly.instantiateStreaming(response, imports)
    : await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  return instance;
}

/**
 * JSON.parse for the core: {value} or {error: JSON.parse's message}. A leading byte order mark is
 * skipped, as the native reader skips it (editors write one); a \ud800 escape without its pair is
 * refused, as the native reader refuses it (UTF-8 cannot hold it).
 */
export function readJson(text) {
  try {
    const value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    // JSON.stringify writes a lone surrogate, and nothing else, as a \udxxx escape. Only texts
    // with such an escape can hold one.
    if (/\\u[dD][89a-fA-F]/.test(text) && /(?:^|[^\\])(?:\\\\)*\\ud[89a-f]/.test(JSON.stringify(value))) {
      return { error: 'a string holds half of a UTF-16 surrogate pair (\\ud800-\\udfff alone)' };
    }
    return { value };
  } catch (error) {
    return { error: String(error && error.message) };
  }
}

export default function createMqlscoreCore({ wasmUrl, wasmBinary }) {
  // The download starts first, from a short stack: while DevTools or a test driver watches the
  // network, Chromium records each request's stack and V8 re-parses every function on it.
  const download = wasmBinary ? null : fetchOk(wasmUrl);
  let failed;
  const failure = new Promise((resolve, reject) => { failed = reject; });
  const ready = createMqlscoreModule({
    readJson,
    // Emscripten's own download would fail without a word; ours names the file and the status.
    instantiateWasm(imports, receive) {
      instantiate(download, wasmBinary, imports).then((instance) => receive(instance), failed);
      return {};
    },
  });
  return Promise.race([ready, failure]).then((module) => ({ Rules: module.Rules, Visitor: module.Visitor }), (error) => {
    // The module stops (abort) only when it cannot go on, such as out of memory at start-up.
    throw error instanceof WebAssembly.RuntimeError ? new Error(`the scoring core aborted (${error.message})`) : error;
  });
}
