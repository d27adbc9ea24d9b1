// Delivers signals from the outbox to the endpoint: batches, exponential backoff with jitter,
// Retry-After, dropping batches the endpoint refuses for good, and a beacon when the page goes
// away. A signal leaves the outbox only once the endpoint has acknowledged it (or refused it for
// good), so a reload, a crash or a closed tab never loses one; the endpoint deduplicates on the
// signal id, so sending one twice is harmless. No DOM: fetch, the beacon, timers and the clock
// are passed in.
import { backoffDelay, retryAfterDelay } from './backoff.js';
import { classifyStatus } from './classify.js';

// What a browser lets a keepalive fetch or a beacon carry: 64 KiB (larger ones are refused, and
// a refused keepalive fetch looks like a network error).
export const KEEPALIVE_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const utf8Bytes = (text) => encoder.encode(text).length;

export function createTransport({
  endpoint,
  site,
  outbox,
  fetch,
  beacon = null,          // (url, body) => boolean, e.g. navigator.sendBeacon
  now = Date.now,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
  random = Math.random,
  warn = (message) => console.warn(message),
  batchSize = 20,
}) {
  let inFlight = false;
  let attempt = 0;
  let timer = null;
  let stopped = false;
  // Signals enqueued on this page, until the endpoint has answered for them. Another tab writing
  // the shared outbox at the same moment can overwrite an addition: they are put back if missing.
  const ours = new Map();

  // The next batch: up to batchSize signals, as many as fit in what a keepalive request or a
  // beacon may carry (a signal's evidence can be tens of KB), and at least one; this tab's signals
  // that another tab overwrote are put back first.
  function nextBatch() {
    let waiting = outbox.peek();
    const present = new Set(waiting.map((signal) => signal.id));
    const missing = [...ours.values()].filter((signal) => !present.has(signal.id));
    if (missing.length > 0) {
      missing.forEach((signal) => outbox.add(signal));
      waiting = outbox.peek();
    }
    // The body is built from each signal's JSON, written once: JSON.stringify({site, signals}).
    const open = JSON.stringify({ site, signals: [] }).slice(0, -2);
    const parts = [];
    let bytes = utf8Bytes(open) + 2;
    for (const signal of waiting.slice(0, batchSize)) {
      const part = JSON.stringify(signal);
      const more = utf8Bytes(part) + (parts.length > 0 ? 1 : 0);
      if (parts.length > 0 && bytes + more > KEEPALIVE_BYTES) break;
      bytes += more;
      parts.push(part);
    }
    return { signals: waiting.slice(0, parts.length), text: `${open}${parts.join(',')}]}`, bytes };
  }

  function schedule(delayMs) {
    if (stopped) return;
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      flush();
    }, delayMs);
  }

  function retryLater(delayMs) {
    attempt++;
    schedule(delayMs ?? backoffDelay(attempt, { random }));
  }

  async function flush() {
    if (inFlight || stopped) return;
    const { signals: batch, text, bytes } = nextBatch();
    if (batch.length === 0) return;
    inFlight = true;
    let response;
    try {
      // text/plain keeps this a "simple" CORS request: no preflight round trip. keepalive lets
      // the request outlive the page, but the browser refuses it for a larger body.
      response = await fetch(endpoint, {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        keepalive: bytes <= KEEPALIVE_BYTES,
        credentials: 'omit',
      });
    } catch {
      inFlight = false;
      retryLater();
      return;
    }
    inFlight = false;
    // Stopped meanwhile (consent withdrawn, say): the outbox is no longer ours to write.
    if (stopped) return;
    const verdict = classifyStatus(response.status);
    if (verdict === 'refused') {
      // Sending again from this page cannot help: the signals wait in the outbox for a later one.
      warn(`mqlscore: the endpoint refused the signals with HTTP ${response.status} (is this site's origin allowed there?); keeping them for a later page`);
      stopped = true;
    } else if (verdict === 'delivered' || verdict === 'drop') {
      if (verdict === 'drop') {
        warn(`mqlscore: the endpoint refused ${batch.length} signal(s) with HTTP ${response.status}; dropping them`);
      }
      outbox.remove(batch.map((signal) => signal.id));
      for (const signal of batch) ours.delete(signal.id);
      attempt = 0;
      if (outbox.size > 0) schedule(0);
    } else if (verdict === 'rate-limited') {
      const header = response.headers && response.headers.get ? response.headers.get('Retry-After') : null;
      retryLater(retryAfterDelay(header, now()) ?? undefined);
    } else {
      retryLater();
    }
  }

  return {
    /** Queues a signal ({id, ...}) and sends it as soon as possible. */
    enqueue(signal) {
      ours.set(signal.id, signal);
      outbox.add(signal);
      if (attempt === 0) schedule(0);
    },
    flush,
    /**
     * The page is going away: hand the next batch to the beacon, which the browser sends even
     * after the tab closes (a signal too large for a beacon gets a plain fetch, which may not
     * finish). The signals stay in the outbox until a later page load sees them acknowledged, so
     * a beacon that never arrives loses nothing.
     */
    onPageHide() {
      if (stopped) return;
      const { signals, text, bytes } = nextBatch();
      if (signals.length === 0) return;
      if (beacon && bytes <= KEEPALIVE_BYTES) {
        try {
          if (beacon(endpoint, text)) return;
        } catch {
          // fall through to fetch
        }
      }
      flush();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
    },
  };
}
