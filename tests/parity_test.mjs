// Native and WebAssembly builds must score identically (contract §4, "to the last bit").
// Generates random rules files and thousands of random event streams (seeded), scores each file
// with the native `mqlscore score` and with the WebAssembly core in Node, and compares the
// output byte for byte.
// usage: node tests/parity_test.mjs path/to/mqlscore path/to/wasm-dir [--seed N] [--files N] [--streams N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createMqlscoreCore from '../wasm/mqlscore-core.mjs';

const [cli, wasmDir, ...rest] = process.argv.slice(2);
const option = (name, fallback) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : fallback;
};
const files = option('--files', 60);
const streamsPerFile = option('--streams', 40);
let seed = option('--seed', 20261126) >>> 0;

function random() {  // mulberry32
  seed = (seed + 0x6D2B79F5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const chance = (p) => random() < p;
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const TYPES = ['page_view', 'cta_click', 'form_submit', 'download', 'scroll', 'engaged_time', 'identify', 'video_play'];
const PATHS = ['/', '/pricing', '/Pricing/team', '/demo', '/blog/a', '/careers', '/docs/x.pdf', '/product'];
const STRINGS = ['demo', 'book-demo', 'Newsletter', 'webinar-q3', 'report.pdf', 'x', '', 'café', '5'];
const FIELDS = ['path', 'host', 'cta', 'form', 'file', 'percent', 'seconds', 'title', 'query.plan', 'utm.source',
  'utm.medium', 'utm.campaign', 'referrer_host', 'props.plan', 'props.n', 'props.deep.x', 'traits.employees',
  'traits.industry', 'traits.title', 'session.number', 'session.events', 'type', 'colour'];

function scalar() {
  return pick([() => pick(STRINGS), () => between(-5, 200), () => random() * 100, () => chance(0.5), () => pick(PATHS)])();
}

function condition(depth) {
  const out = {};
  const keys = between(1, 3);
  for (let i = 0; i < keys; i++) {
    const r = random();
    if (depth < 3 && r < 0.12) out.all = Array.from({ length: between(0, 2) }, () => condition(depth + 1));
    else if (depth < 3 && r < 0.24) out.any = Array.from({ length: between(0, 3) }, () => condition(depth + 1));
    else if (depth < 3 && r < 0.3) out.not = condition(depth + 1);
    else {
      const field = pick(FIELDS);
      const op = pick(['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'glob', 'prefix', 'suffix', 'contains', 'exists', '=']);
      if (op === '=') out[field] = scalar();
      else if (op === 'in' || op === 'nin') out[field] = { [op]: Array.from({ length: between(0, 3) }, scalar) };
      else if (op === 'exists') out[field] = { exists: chance(0.5) };
      else if (['glob', 'prefix', 'suffix', 'contains'].includes(op)) out[field] = { [op]: pick(['/pricing*', '*demo*', '*.PDF', '/p?icing', '*', 'NEWS', 'web', 'é']) };
      else if (op.startsWith('g') || op.startsWith('l')) out[field] = { [op]: chance(0.7) ? between(0, 150) : pick(STRINGS) };
      else out[field] = { [op]: scalar() };
    }
  }
  return out;
}

function rulesFile() {
  const rules = [];
  const count = between(3, 14);
  for (let i = 0; i < count; i++) {
    const rule = { id: `r${i}` };
    if (chance(0.2)) {
      rule.kind = 'fit';
    } else {
      rule.on = chance(0.3) ? [pick(TYPES), 'session_start'] : pick([...TYPES, 'session_start']);
      if (chance(0.5)) rule.limit = { times: between(1, 3), per: pick(['session', 'day', 'week', 'ever']) };
    }
    if (chance(0.85)) rule.if = condition(0);
    rule.points = chance(0.15) ? -between(1, 30) : pick([between(1, 40), Math.round(random() * 4000) / 100, 1 / 3]);
    rules.push(rule);
  }
  const file = {
    version: 1,
    stages: [
      { name: 'sql', score: between(60, 150), sticky: chance(0.5) },
      { name: 'mql', engagement: between(20, 80), fit: chance(0.5) ? between(0, 30) : undefined, sticky: chance(0.7) },
      { name: 'engaged', engagement: between(5, 30) },
      { name: 'visitor' },
    ],
    rules,
  };
  if (chance(0.6)) file.decay = { half_life_days: pick([0.5, 1, 7, 30, 0.01]) };
  if (chance(0.5)) file.caps = { engagement: between(20, 200), fit: between(10, 100) };
  if (chance(0.5)) file.session_timeout_minutes = pick([1, 5, 30, 90]);
  return JSON.stringify(file);
}

function stream(visitor, start) {
  const lines = [];
  let ts = start;
  const n = between(1, 40);
  for (let i = 0; i < n; i++) {
    ts += pick([1000, 30000, 600000, 3600000, 86400000, 86400000 * 8, 0]) * random();
    const event = { type: pick(TYPES), ts: chance(0.1) ? ts - 3600000 * random() : Math.floor(ts), visitor };
    if (chance(0.15)) event.ts = new Date(Math.floor(event.ts)).toISOString();
    if (chance(0.8)) {
      const utm = chance(0.3) ? `?utm_source=${pick(['news', 'google'])}&utm_medium=${pick(['email', 'cpc'])}&plan=${pick(['pro', 'a+b', '%41'])}` : '';
      event.url = `https://${pick(['www.ACME.com', 'acme.com:8443'])}${pick(PATHS)}${utm}`;
    }
    if (chance(0.3)) event.referrer = pick(['https://Google.com/search', 'https://x.y/', '']);
    for (const key of ['cta', 'form', 'file', 'title']) if (chance(0.25)) event[key] = pick(STRINGS);
    for (const key of ['percent', 'seconds']) if (chance(0.2)) event[key] = pick([25, 50, 90, 120, '90']);
    if (chance(0.2)) event.props = { plan: pick(STRINGS), n: between(0, 9), deep: { x: scalar() } };
    if (event.type === 'identify') {
      event.traits = { employees: chance(0.8) ? between(1, 5000) : null, industry: pick(['software', 'food', null]), title: pick(['VP Sales', 'intern']) };
    }
    lines.push(JSON.stringify(event));
    if (chance(0.01)) lines.push('{"type":"page_view","ts":true,"visitor":"bad"}');
  }
  return lines;
}

const core = await createMqlscoreCore({ wasmBinary: readFileSync(join(wasmDir, 'mqlscore-core.wasm')) });
const work = mkdtempSync(join(tmpdir(), 'mqlscore-parity-'));
let streams = 0;
let events = 0;
let failures = 0;
let signals = 0;
try {
  for (let f = 0; f < files; f++) {
    const rulesText = rulesFile();
    const start = Date.UTC(2026, 0, 1) + between(0, 1e9);
    let lines = [];
    for (let s = 0; s < streamsPerFile; s++) lines = lines.concat(stream(`v${f}-${s}`, start + between(0, 1e7)));
    streams += streamsPerFile;
    events += lines.length;
    writeFileSync(join(work, 'rules.json'), rulesText);
    writeFileSync(join(work, 'events.jsonl'), lines.join('\n') + '\n');
    let native;
    try {
      // As of each visitor's latest event: the browser reports nothing later.
      native = execFileSync(cli, ['score', '--rules', join(work, 'rules.json'), join(work, 'events.jsonl')], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString();
    } catch (error) {
      if (error.status !== 3) throw error;
      native = error.stdout.toString();
    }
    const rules = new core.Rules(rulesText);
    if (!rules.ok()) throw new Error(`generated rules are invalid: ${rules.problems()}\n${rulesText}`);
    const visitors = new Map();  // id -> {visitor, signals}
    for (const line of lines) {
      const event = JSON.parse(line);
      const id = event.visitor;
      if (!visitors.has(id)) visitors.set(id, { visitor: new core.Visitor(rules, id), signals: [] });
      const entry = visitors.get(id);
      const outcome = entry.visitor.track(event);
      if (!outcome.ok && id !== 'bad') throw new Error(`wasm refused ${line}: ${outcome.error}`);
      if (outcome.ok) entry.signals.push(...outcome.signals);
    }
    // The command line's result line, made of what the widget's calls return.
    let wasm = '';
    for (const [id, { visitor, signals }] of visitors) {
      if (id !== 'bad') {
        const { engagement, fit, score, stage } = visitor.scores(0);  // 0: as of the latest event
        wasm += `${JSON.stringify({ visitor: id, engagement, fit, score, stage, signals })}\n`;
      }
      visitor.delete();
    }
    rules.delete();
    signals += (native.match(/stage_changed/g) || []).length;
    if (wasm !== native) {
      failures++;
      const a = native.split('\n');
      const b = wasm.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      console.error(`FAIL rules file ${f}: first difference at visitor line ${i}\nnative: ${a[i]}\nwasm:   ${b[i]}\nrules: ${rulesText}`);
      writeFileSync(join(process.cwd(), `parity-failure-${f}.jsonl`), lines.join('\n') + '\n');
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${files} rules files, ${streams} streams, ${events} events, ${signals} signals: native and wasm ${failures ? 'DIFFER' : 'identical'}`);
process.exit(failures ? 1 : 0);
