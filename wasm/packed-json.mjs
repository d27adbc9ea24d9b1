// Reads JSON text with the JavaScript engine's own JSON.parse and packs what it read for the core
// (the format is in core/packed_json.h): the WebAssembly then needs no JSON reader of its own,
// 3.4 KB gzip less for every page to download.
const utf8 = new TextEncoder();
// The core refuses far shallower nesting with its own message (64 levels; rules files 256);
// this only keeps a hostile document from exhausting the JavaScript stack.
const DEEPEST = 1000;
const NOT_JSON = 7;

let buffer = new Uint8Array(4096);
let view = new DataView(buffer.buffer);
let at = 0;

function reserve(bytes) {
  if (at + bytes <= buffer.length) return;
  const grown = new Uint8Array(Math.max(buffer.length * 2, at + bytes));
  grown.set(buffer.subarray(0, at));
  buffer = grown;
  view = new DataView(buffer.buffer);
}

function count(n) {
  reserve(5);
  for (; n > 0x7f; n >>>= 7) buffer[at++] = (n & 0x7f) | 0x80;
  buffer[at++] = n;
}

// A string's UTF-8 byte length is known only once it is written: its count is written after it,
// in front, padded to the width the longest possible encoding would need (3 bytes per unit).
function text(tag, s) {
  const most = s.length * 3;
  const width = most < 0x80 ? 1 : most < 0x4000 ? 2 : most < 0x200000 ? 3 : most < 0x10000000 ? 4 : 5;
  reserve(1 + width + most);
  if (tag !== null) buffer[at++] = tag;
  const { written } = utf8.encodeInto(s, buffer.subarray(at + width));
  for (let i = 0, n = written; i < width; i++, n >>>= 7) buffer[at + i] = (n & 0x7f) | (i + 1 < width ? 0x80 : 0);
  at += width + written;
}

function value(v, depth) {
  reserve(9);
  if (v === null) {
    buffer[at++] = 0;
  } else if (typeof v === 'boolean') {
    buffer[at++] = v ? 2 : 1;
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('a number is too large (beyond 1.8e308)');
    buffer[at++] = 3;
    view.setFloat64(at, v, true);
    at += 8;
  } else if (typeof v === 'string') {
    text(4, v);
  } else if (depth === DEEPEST) {
    buffer[at++] = 8;
  } else if (Array.isArray(v)) {
    buffer[at++] = 5;
    count(v.length);
    for (const item of v) value(item, depth + 1);
  } else {
    const keys = Object.keys(v);
    buffer[at++] = 6;
    count(keys.length);
    for (const key of keys) {
      text(null, key);
      value(v[key], depth + 1);
    }
  }
}

// JSON.parse, skipping a leading byte order mark as the core's own reader does (editors write it).
export const readJson = (json) => JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);

// What readJson reads from `json`, or why it cannot, packed. The bytes are valid until the next
// call.
export function packJson(json) {
  at = 0;
  try {
    value(readJson(json), 0);
  } catch (error) {
    at = 0;
    text(NOT_JSON, String(error && error.message));
  }
  return buffer.subarray(0, at);
}
