// Retry timing for the transport: exponential backoff with full jitter, and Retry-After.
// Pure functions, no timers, no DOM.

/**
 * Delay before retry number `attempt` (1 for the first retry): a random point in
 * [0, min(maxMs, baseMs * 2^(attempt-1))] ("full jitter"), so many browsers retrying after an
 * outage do not hit the endpoint in step.
 */
export function backoffDelay(attempt, { baseMs = 1000, maxMs = 5 * 60 * 1000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait according to a Retry-After header value (seconds or an HTTP date), or
 * null when the header is absent or unreadable. Never negative.
 */
export function retryAfterDelay(header, nowMs) {
  if (header == null || header === '') return null;
  const text = String(header).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, when - nowMs);
}
