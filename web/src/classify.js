// What to do with an endpoint's answer (after Snowplow and Segment): deliver, retry later, honour
// a rate limit, or drop for good. Pure.

/** @returns {'delivered'|'retry'|'rate-limited'|'refused'|'drop'} */
export function classifyStatus(status) {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 429) return 'rate-limited';
  // Not this site, or not without credentials: the endpoint's setup, which its owner can fix.
  if (status === 401 || status === 403) return 'refused';
  if (status === 408 || status >= 500 || status === 0) return 'retry';
  if (status >= 400) return 'drop';  // the batch itself is wrong: sending it again cannot help
  return 'retry';                    // 1xx/3xx should not reach us; try again rather than lose data
}
