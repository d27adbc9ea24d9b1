// The playground's logic without the page: replaying a journey with the core into chart points,
// finding a JSON Pointer in the rules text, appending events, and the state in the URL fragment.
// The DOM is playground.js's.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
// A journey's first event when it has none yet: a fixed date, so that a shared link scores alike.
export const JOURNEY_START = Date.parse('2026-01-05T09:00:00Z');
// Gaps longer than this get points in between, so that the chart shows the decay.
const SAMPLED_GAP = 60 * MINUTE;
const SAMPLES_PER_GAP = 6;
// A chart 600 pixels wide shows no more detail: beyond this many events, only every so many (and
// every stage change) becomes a point, and long gaps share this many decay points. Reading a
// visitor's scores costs more than scoring an event (~12 against ~7 µs), so a 1,000-event journey
// re-scores within a frame (docs/benchmarks.md).
const MAX_POINTS = 200;

/** The text's lines that hold something, with their line numbers (from 1). */
function eventLines(text) {
  return text.split('\n').map((line, i) => [i + 1, line]).filter(([, line]) => line.trim() !== '');
}

const timeOf = (ts) => (typeof ts === 'number' ? ts : Date.parse(ts));

/**
 * Scores the events (JSON lines) with `rules` on a fresh visitor of `core`. Returns {points,
 * steps, final, problem}: `points` for the chart ({ts, engagement, fit, score, stage, step}, step
 * being the index into `steps` of the event scored there, or null for a point of decay between
 * events; beyond MAX_POINTS events not every event is a point), `steps` ({line, event,
 * signals}), `final` (the scores and reasons after the
 * last event) and `problem` ("line 3: ...", or null). Stops at the first line that is not an
 * event. With `awardsOf` (a step's index), stops after that step and sets its `awards` too
 * ([{rule, points}], what each rule gave or took there): what a hover asks for, kept out of the
 * full replay, which re-runs on every edit.
 */
export function replayJourney(core, rules, text, awardsOf = null) {
  const events = [];
  let problem = null;
  for (const [line, source] of eventLines(text)) {
    let event;
    try {
      event = JSON.parse(source);
    } catch (error) {
      problem = `line ${line}: not JSON (${error.message})`;
      break;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      problem = `line ${line}: an event is a JSON object`;
      break;
    }
    events.push([line, event, timeOf(event.ts)]);
  }
  const longGaps = events.filter(([, , ts], i) => i > 0 && ts - events[i - 1][2] > SAMPLED_GAP).length;
  const perGap = Math.min(SAMPLES_PER_GAP, Math.floor(MAX_POINTS / Math.max(longGaps, 1)));
  const every = Math.ceil(events.length / MAX_POINTS);

  const visitor = new core.Visitor(rules, 'playground');
  const points = [];
  const steps = [];
  try {
    let last = null;
    for (const [line, event, ts] of events) {
      if (last !== null && Number.isFinite(ts) && ts - last > SAMPLED_GAP) {
        for (let k = 1; k <= perGap; k++) {
          const at = last + ((ts - last) * k) / (perGap + 1);
          points.push({ ...visitor.scores(at), ts: at, step: null });
        }
      }
      const wanted = steps.length === awardsOf;
      const before = wanted && Number.isFinite(ts) ? visitor.scores(ts) : null;
      const outcome = visitor.track(event);
      if (!outcome.ok) {
        problem = `line ${line}: ${outcome.error}`;
        break;
      }
      last = Math.max(last ?? ts, ts);
      steps.push({ line, event, signals: outcome.signals });
      const isLast = steps.length === events.length;
      if (wanted || isLast || outcome.signals.length > 0 || (steps.length - 1) % every === 0) {
        const after = visitor.scores(last);
        points.push({ ...after, ts: last, step: steps.length - 1 });
        if (wanted) {
          steps[steps.length - 1].awards = awardsBetween(before ? before.reasons : [], after.reasons);
          break;
        }
      }
    }
    const final = last === null ? null : visitor.scores(last);
    return { points, steps, final, problem };
  } finally {
    visitor.delete();
  }
}

/** What changed between two reason lists at one instant: each rule's points gained or lost. */
export function awardsBetween(before, after) {
  const was = new Map(before.map((r) => [r.rule, r.points]));
  const awards = [];
  for (const reason of after) {
    const gained = reason.points - (was.get(reason.rule) || 0);
    if (Math.abs(gained) > 1e-9) awards.push({ rule: reason.rule, points: Math.round(gained * 1e6) / 1e6 });
    was.delete(reason.rule);
  }
  for (const [rule, points] of was) awards.push({ rule, points: -points });
  return awards;
}

/**
 * Where `pointer` (a JSON Pointer such as "/rules/3/limit/per") points in the JSON `text`: the
 * offset of that value, or of the deepest member on the way that exists; 0 for "".
 */
export function offsetOfPointer(text, pointer) {
  const root = parseTree(text);
  if (!root || pointer === '') return 0;
  const path = pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let length = path.length; length > 0; length--) {
    const segments = path.slice(0, length).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const node = findNodeAtLocation(root, segments);
    if (node) return node.parent && node.parent.type === 'property' ? node.parent.offset : node.offset;
  }
  return 0;
}

/** The offset of line `line`, column `column` (both from 1) in `text`. */
export function offsetOfLineColumn(text, line, column) {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}

/** Where a rules problem ("/stages/0/name: ..." or "...: parse error at line 4, column 9: ...") is. */
export function offsetOfProblem(text, problem) {
  const at = problem.match(/at line (\d+), column (\d+)/);
  if (at) return offsetOfLineColumn(text, Number(at[1]), Number(at[2]));
  return problem.startsWith('/') ? offsetOfPointer(text, problem.slice(0, problem.indexOf(': '))) : 0;
}

/**
 * `text` with one more event: `type` and `fields`, one minute after the last event (or at
 * JOURNEY_START), plus `gapDays` days.
 */
export function appendEvent(text, type, fields, gapDays = 0) {
  let last = null;
  for (const [, line] of eventLines(text)) {
    try {
      const ts = timeOf(JSON.parse(line).ts);
      if (Number.isFinite(ts)) last = Math.max(last ?? ts, ts);
    } catch { /* the line's problem is shown elsewhere */ }
  }
  const ts = (last === null ? JOURNEY_START : last + MINUTE) + gapDays * DAY;
  const line = JSON.stringify({ type, ts: new Date(ts).toISOString(), ...fields });
  return (text.trim() === '' ? '' : `${text.replace(/\n+$/, '')}\n`) + line + '\n';
}

/** The events of `visitor` in a JSON-lines log, as the events editor holds them. */
export function visitorEvents(log, visitor) {
  return eventLines(log).map(([, line]) => line).filter((line) => {
    try { return JSON.parse(line).visitor === visitor; } catch { return false; }
  }).join('\n') + '\n';
}

const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function transform(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** The playground's state ({rules, events}) as a URL fragment: "s=" and deflated, base64url JSON. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify({ rules: state.rules, events: state.events }));
  const packed = await transform(json, new CompressionStream('deflate-raw'));
  let text = '';
  // In pieces (a multiple of 3 bytes each, so that they join into one base64 text).
  for (let i = 0; i < packed.length; i += 3 * 8192) text += toBase64Url(packed.subarray(i, i + 3 * 8192));
  return `s=${text}`;
}

/** The state of a fragment made by encodeState, or null when it holds none or is damaged. */
export async function decodeState(fragment) {
  const match = fragment.replace(/^#/, '').match(/(?:^|&)s=([A-Za-z0-9_-]+)/);
  if (!match) return null;
  try {
    const json = await transform(fromBase64Url(match[1]), new DecompressionStream('deflate-raw'));
    const state = JSON.parse(new TextDecoder().decode(json));
    return typeof state.rules === 'string' && typeof state.events === 'string' ? state : null;
  } catch {
    return null;
  }
}
