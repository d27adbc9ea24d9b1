// The baseline for scripts/bench-core: the same rules file and events scored in Node with
// json-rules-engine (npm), the usual way to run marketer-written JSON rules in JavaScript.
// json-rules-engine evaluates the conditions; the loop around it does what mqlscore's core does
// (sessions, sticky UTM, limits, decay, caps, fit, stages), so both do the same work.
//
// usage: node scripts/bench/json-rules-engine-baseline.mjs RULES.json EVENTS.jsonl MAX_EVENTS
// prints: {"events":N,"seconds":S,"events_per_second":R,"mqls":M}
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Engine } = require('json-rules-engine');

const [rulesPath, eventsPath, maxArg] = process.argv.slice(2);
const rulesFile = JSON.parse(readFileSync(rulesPath, 'utf8'));
const lines = readFileSync(eventsPath, 'utf8').split('\n').filter(Boolean).slice(0, Number(maxArg));
const events = lines.map((line) => JSON.parse(line));

const OPERATORS = { eq: 'equal', ne: 'notEqual', in: 'in', nin: 'notIn', gt: 'greaterThan',
  gte: 'greaterThanInclusive', lt: 'lessThan', lte: 'lessThanInclusive' };
const fieldNames = new Set();

function translate(condition) {
  const all = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === 'all' || key === 'any') all.push({ [key]: value.map(translate) });
    else if (key === 'not') all.push({ not: translate(value) });
    else {
      fieldNames.add(key);
      const [op, operand] = typeof value === 'object' ? Object.entries(value)[0] : ['eq', value];
      all.push({ fact: key, operator: OPERATORS[op] || op, value: operand });
    }
  }
  return { all };
}

function addOperators(engine) {
  const str = (f) => typeof f === 'string';
  const globToRegExp = new Map();
  engine.addOperator('glob', (fact, pattern) => {
    if (!str(fact)) return false;
    let re = globToRegExp.get(pattern);
    if (!re) {
      re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'is');
      globToRegExp.set(pattern, re);
    }
    return re.test(fact);
  });
  engine.addOperator('prefix', (f, v) => str(f) && f.toLowerCase().startsWith(v.toLowerCase()));
  engine.addOperator('suffix', (f, v) => str(f) && f.toLowerCase().endsWith(v.toLowerCase()));
  engine.addOperator('contains', (f, v) => str(f) && f.toLowerCase().includes(v.toLowerCase()));
  engine.addOperator('exists', (f, v) => (f !== undefined && f !== null) === v);
}

const options = { allowUndefinedFacts: true };
const engagement = new Engine([], options);
const fit = new Engine([], options);
addOperators(engagement);
addOperators(fit);
rulesFile.rules.forEach((rule, index) => {
  const conditions = translate(rule.if || {});
  if (rule.kind === 'fit') {
    fit.addRule({ name: rule.id, priority: 1, conditions, event: { type: rule.id, params: { index } } });
  } else {
    const on = Array.isArray(rule.on) ? rule.on : [rule.on];
    conditions.all.push({ fact: 'type', operator: 'in', value: on });
    engagement.addRule({ name: rule.id, conditions, event: { type: rule.id, params: { index } } });
  }
});

const timeoutMs = (rulesFile.session_timeout_minutes || 30) * 60000;
const halfLifeMs = rulesFile.decay ? rulesFile.decay.half_life_days * 86400000 : 0;
const caps = rulesFile.caps || {};
const WINDOWS = { day: 86400000, week: 7 * 86400000 };

function factsFor(event, visitor, type, sessionEvents, utm) {
  const facts = { type, ts: visitor.lastTs, 'session.number': visitor.session, 'session.events': sessionEvents };
  if (typeof event.url === 'string') {
    const url = new URL(event.url, 'https://relative.invalid');
    facts.host = url.hostname;
    facts.path = url.pathname;
    for (const [k, v] of url.searchParams) if (!(('query.' + k) in facts)) facts['query.' + k] = v;
  }
  for (const [k, v] of Object.entries(utm || {})) facts['utm.' + k.slice(4)] = v;
  for (const name of fieldNames) {
    if (name in facts) continue;
    const [head, ...rest] = name.split('.');
    let value = head === 'traits' ? visitor.traits : event[head];
    for (const key of rest) value = value && typeof value === 'object' ? value[key] : undefined;
    if (value !== undefined && value !== null) facts[name] = value;
  }
  return facts;
}

async function score(visitor, event, type, facts) {
  const { events: fired } = await engagement.run(facts);
  fired.sort((a, b) => a.params.index - b.params.index);
  for (const { params: { index } } of fired) {
    const rule = rulesFile.rules[index];
    const state = visitor.rules[index] || (visitor.rules[index] = { ever: 0, session: 0, sessionNo: 0, recent: [] });
    if (rule.limit) {
      const { times, per } = rule.limit;
      if (WINDOWS[per]) state.recent = state.recent.filter((t) => t > visitor.lastTs - WINDOWS[per]);
      const used = per === 'ever' ? state.ever : per === 'session' ? (state.sessionNo === visitor.session ? state.session : 0) : state.recent.length;
      if (used >= times) continue;
    }
    const decay = halfLifeMs ? Math.pow(2, -(visitor.lastTs - visitor.engagementTs) / halfLifeMs) : 1;
    visitor.engagement = Math.min(caps.engagement ?? Infinity, Math.max(0, visitor.engagement * decay + rule.points));
    visitor.engagementTs = visitor.lastTs;
    state.ever++;
    if (state.sessionNo !== visitor.session) { state.sessionNo = visitor.session; state.session = 0; }
    state.session++;
    if (rule.limit && WINDOWS[rule.limit.per]) state.recent.push(visitor.lastTs);
  }
  const e = visitor.engagement * (halfLifeMs ? Math.pow(2, -(visitor.lastTs - visitor.engagementTs) / halfLifeMs) : 1);
  const stage = rulesFile.stages.findIndex((s) => (s.engagement === undefined || e >= s.engagement) &&
    (s.fit === undefined || visitor.fit >= s.fit) && (s.score === undefined || e + visitor.fit >= s.score));
  visitor.stage = visitor.sticky >= 0 && visitor.sticky < stage ? visitor.sticky : stage;
  if (rulesFile.stages[visitor.stage].sticky && (visitor.sticky < 0 || visitor.stage < visitor.sticky)) visitor.sticky = visitor.stage;
}

async function evaluateFit(visitor) {
  const facts = factsFor({}, visitor, 'fit', 0, null);
  for (const key of Object.keys(facts)) if (!key.startsWith('traits.')) delete facts[key];
  const { events: fired } = await fit.run(facts);
  const sum = fired.reduce((total, { params: { index } }) => total + rulesFile.rules[index].points, 0);
  visitor.fit = Math.min(caps.fit ?? Infinity, Math.max(0, sum));
}

const visitors = new Map();
const start = process.hrtime.bigint();
for (const event of events) {
  let visitor = visitors.get(event.visitor);
  const ts = typeof event.ts === 'number' ? event.ts : Date.parse(event.ts);
  if (!visitor) {
    visitor = { lastTs: ts, session: 0, traits: {}, engagement: 0, engagementTs: ts, fit: 0, rules: [], stage: rulesFile.stages.length - 1, sticky: -1, utm: null, sessionEvents: 0 };
    visitors.set(event.visitor, visitor);
    await evaluateFit(visitor);
  }
  const now = Math.max(ts, visitor.lastTs);
  const newSession = visitor.session === 0 || now - visitor.lastTs > timeoutMs;
  visitor.lastTs = now;
  let own = null;
  if (typeof event.url === 'string' && event.url.includes('utm_')) {
    own = {};
    for (const [k, v] of new URL(event.url, 'https://relative.invalid').searchParams) if (k.startsWith('utm_') && !(k in own)) own[k] = v;
  }
  if (newSession) { visitor.session++; visitor.sessionEvents = 0; visitor.utm = null; }
  if (own && !visitor.utm) visitor.utm = own;
  const utm = own || visitor.utm;
  if (newSession) await score(visitor, event, 'session_start', factsFor(event, visitor, 'session_start', 0, utm));
  visitor.sessionEvents++;
  if (event.type === 'identify' && event.traits) {
    for (const [k, v] of Object.entries(event.traits)) if (v === null) delete visitor.traits[k]; else visitor.traits[k] = v;
    await evaluateFit(visitor);
  }
  await score(visitor, event, event.type, factsFor(event, visitor, event.type, visitor.sessionEvents, utm));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const mqls = [...visitors.values()].filter((v) => ['mql', 'sql'].includes(rulesFile.stages[v.stage].name)).length;
console.log(JSON.stringify({ events: events.length, seconds, events_per_second: events.length / seconds, mqls }));
