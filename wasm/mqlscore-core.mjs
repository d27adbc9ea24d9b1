// The JavaScript side of the core's WebAssembly interface (bindings.cc): instantiates the module
// and wraps its C functions in two small classes. Strings cross as UTF-8 and JSON as what
// JSON.parse read, packed (packed-json.mjs); every result is JSON text, failures included, so
// nothing here throws for bad input. fetchOk, the module's download with a clear error, is the
// widget's for the rules file too.
//
//   const core = await createMqlscoreCore({ wasmUrl });          // or { wasmBinary }
//   const rules = new core.Rules(text);     // ok(), problems() -> '["/rules/0/...: ..."]', hash()
//   const visitor = new core.Visitor(rules, 'v-42');  // track(json), scores(ms), result(ms),
//                                                    // snapshot(), restore(text); delete() frees it
import { packJson, utf8 } from './packed-json.mjs';

const decoder = new TextDecoder();

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

async function instantiate({ wasmUrl, wasmBinary }, imports) {
  if (wasmBinary) return (await WebAssembly.instantiate(wasmBinary, imports)).instance;
  const response = await fetchOk(wasmUrl);
  // Streaming compilation needs the application/wasm type; from a server that labels the file
  // otherwise, the module is compiled from its bytes instead.
  const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
  const { instance } = type === 'application/wasm' && WebAssembly.instantiateStreaming
    ? await WebAssembly.instantiateStreaming(response, imports)
    : await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  return instance;
}

export default async function createMqlscoreCore(source) {
  let memory = null;
  // A view of the module's memory, renewed when growth replaces the buffer.
  let view = null;
  const heap = () => (view && view.buffer === memory.buffer ? view : (view = new Uint8Array(memory.buffer)));
  // The module grows its memory itself (heap() notices the new buffer) and exits only when it
  // cannot go on, such as out of memory. It has us write numbers' text (wasm/number_text.cc).
  const imports = {
    env: {
      mqlscore_number_text(d, at) {
        const text = String(d);
        const h = heap();
        for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
        return text.length;
      },
    },
    wasi_snapshot_preview1: {
      proc_exit() { throw new Error('the scoring core aborted (out of memory?)'); },
    },
  };
  const instance = await instantiate(source, imports);
  const w = instance.exports;
  memory = w.memory;
  w._initialize();

  // Runs fn(pointer, length) with `data` (bytes) copied into the module's memory, in one input
  // buffer kept between calls (events are small and many); a large one is given back afterwards.
  const KEPT_INPUT_BYTES = 64 * 1024;
  let input = 0;
  let inputCapacity = 0;
  const withBytes = (data, fn) => {
    if (data.length > inputCapacity) {
      if (input) w.mqlscore_free(input);
      inputCapacity = Math.max(data.length, 4096);
      input = w.mqlscore_alloc(inputCapacity);
      if (!input) {
        inputCapacity = 0;
        throw new Error('the scoring core is out of memory');
      }
    }
    heap().set(data, input);
    try {
      return fn(input, data.length);
    } finally {
      if (inputCapacity > KEPT_INPUT_BYTES) {
        w.mqlscore_free(input);
        input = 0;
        inputCapacity = 0;
      }
    }
  };
  const result = () => {
    const start = w.mqlscore_result_data();
    return decoder.decode(heap().subarray(start, start + w.mqlscore_result_size()));
  };

  class Rules {
    constructor(text) {
      // The file as given, for its hash and size limit, followed by what JSON.parse read of it.
      const file = utf8.encode(String(text));
      const packed = packJson(String(text));
      const both = new Uint8Array(file.length + packed.length);
      both.set(file);
      both.set(packed, file.length);
      this.handle = withBytes(both, (p) => w.mqlscore_rules_new(p, file.length, p + file.length, packed.length));
    }
    ok() { return this.problems() === '[]'; }
    problems() { w.mqlscore_rules_problems(this.handle); return result(); }
    hash() { w.mqlscore_rules_hash(this.handle); return result(); }
    delete() { w.mqlscore_rules_delete(this.handle); this.handle = 0; }
  }

  class Visitor {
    constructor(rules, id) { this.handle = withBytes(utf8.encode(String(id)), (p, n) => w.mqlscore_visitor_new(rules.handle, p, n)); }
    track(eventJson) { withBytes(packJson(eventJson), (p, n) => w.mqlscore_visitor_track(this.handle, p, n)); return result(); }
    result(at) { w.mqlscore_visitor_result(this.handle, at); return result(); }
    scores(at) { w.mqlscore_visitor_scores(this.handle, at); return result(); }
    snapshot() { w.mqlscore_visitor_snapshot(this.handle); return result(); }
    restore(text) { withBytes(packJson(text), (p, n) => w.mqlscore_visitor_restore(this.handle, p, n)); return result(); }
    delete() { w.mqlscore_visitor_delete(this.handle); this.handle = 0; }
  }

  return { Rules, Visitor };
}
