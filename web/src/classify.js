// What to do with an endpoint's answer (after Snowplow and Segment): deliver, retry later, honour
// a rate limit, or drop for good. Pure.

/** @returns {'delivered'|'retry'|'rate-limited'|'drop'} */
export function classifyStatus(status) {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status >= 500 || status === 0) return 'retry';
  if (status >= 400) return 'drop';  // the batch itself is wrong: sending it again cannot help
  return 'retry';                    // 1xx/3xx should not reach us; try again rather than lose data
}
