// Reads JSON text with the JavaScript engine's own JSON.parse and packs what it read for the core
// (the format is in core/packed_json.h): the WebAssembly then needs no JSON reader of its own,
// 3.3 KB gzip less for every page to download.
export const utf8 = new TextEncoder();
// The core refuses far shallower nesting with its own message (64 levels; rules files 256);
// this only keeps a hostile document from exhausting the JavaScript stack.
const DEEPEST = 1000;
const NOT_JSON = 7;

let buffer = new Uint8Array(4096);
let view = new DataView(buffer.buffer);
let at = 0;

function reserve(bytes) {
  if (at + bytes <= buffer.length) return;
  const grown = new Uint8Array(2 * (at + bytes));
  grown.set(buffer);
  buffer = grown;
  view = new DataView(buffer.buffer);
}

// Counts and lengths take 5 bytes, LEB128 padded with continuation bits: a string's UTF-8 length
// is known only once it is written, and goes in front of it.
function count(n, where) {
  for (let i = 0; i < 5; i++, n >>>= 7) buffer[where + i] = (n & 0x7f) | (i < 4 ? 0x80 : 0);
}

// Short ASCII strings (most keys and values) are copied by hand: a call to encodeInto costs
// about a microsecond, ten times the copy.
function text(s) {
  reserve(5 + 3 * s.length);  // a UTF-16 unit is at most 3 bytes of UTF-8
  let written = 0;
  if (s.length < 64) {
    for (; written < s.length; written++) {
      const unit = s.charCodeAt(written);
      if (unit > 0x7f) break;
      buffer[at + 5 + written] = unit;
    }
  }
  if (written < s.length) written = utf8.encodeInto(s, buffer.subarray(at + 5)).written;
  count(written, at);
  at += 5 + written;
}

function value(v, depth) {
  reserve(9);  // a tag and a number, or a tag and a count
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
    buffer[at++] = 4;
    text(v);
  } else if (depth === DEEPEST) {
    buffer[at++] = 8;
  } else {
    const array = Array.isArray(v);
    const items = array ? v : Object.keys(v);
    buffer[at++] = array ? 5 : 6;
    count(items.length, at);
    at += 5;
    for (const item of items) {
      if (array) {
        value(item, depth + 1);
      } else {
        text(item);
        value(v[item], depth + 1);
      }
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
    buffer[at++] = NOT_JSON;
    text(String(error && error.message));
  }
  return buffer.subarray(0, at);
}
