// The stub queue: a page may call the API before the script has loaded with
//   window.mqlscore = window.mqlscore || []; mqlscore.push(["track", "video_play", {...}]);
// On load the real API replays those calls in order and replaces the stub. Including the script
// twice is harmless: a second copy finds the real API and does nothing.

export const STUB_METHODS = ['track', 'identify', 'on', 'reset', 'consent'];

/**
 * Replays queued calls ([name, ...args]) on `api`. Unknown names and failing calls are reported
 * through `warn` and skipped; one bad entry never stops the rest.
 */
export function replayQueue(queue, api, warn = (message) => console.warn(message)) {
  for (const entry of queue) {
    try {
      if (Array.isArray(entry) && STUB_METHODS.includes(entry[0])) api[entry[0]](...entry.slice(1));
      else warn(`mqlscore: ignoring queued call ${JSON.stringify(entry)}`);
    } catch (error) {  // the call failed, or the entry cannot be written out (a cycle, a BigInt)
      warn(`mqlscore: queued ${entry[0]} failed: ${error && error.message}`);
    }
  }
}

/** True when `existing` is the real API (a second copy of the script must then stay inert). */
export function isLoaded(existing) {
  return existing != null && !Array.isArray(existing) && existing.__mqlscore === true;
}
