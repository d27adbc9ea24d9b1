// After the link: removes one of the module's exports, and with it every function only it reaches
// (Binaryen's wasm-metadce). For Embind's __getTypeName, which the glue no longer calls
// (embind-unused.js) but which Embind marks EMSCRIPTEN_KEEPALIVE, so the link keeps it and the
// printf engine it formats with: 2.0 KB gzip of the module (docs/benchmarks.md).
// usage: node wasm/drop-export.mjs GLUE.mjs MODULE.wasm NAME
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const [glue, wasm, name] = process.argv.slice(2);
// Emscripten minifies export names; the glue says which one is `name`: ...NAME=Module.asm.X).
const found = readFileSync(glue, 'utf8').match(new RegExp(`\\b${name}=\\w+\\.asm\\.(\\w+)\\)`));
if (!found) {
  console.error(`drop-export: ${glue} does not export ${name} the way Emscripten 3.1.6 writes it`);
  process.exit(1);
}
const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasm))).map((e) => e.name);
if (!exports.includes(found[1])) {
  console.error(`drop-export: ${wasm} has no export ${found[1]} (${name})`);
  process.exit(1);
}
const kept = exports.filter((e) => e !== found[1]);
const graph = `${wasm}.graph.json`;
writeFileSync(graph, JSON.stringify([{ name: 'glue', root: true, reaches: kept }, ...exports.map((e) => ({ name: e, export: e }))]));
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals'];
execFileSync('wasm-metadce', [...features, '--graph-file', graph, wasm, '-o', wasm], { stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync('wasm-opt', [...features, '-Oz', wasm, '-o', wasm], { stdio: 'inherit' });
rmSync(graph);
