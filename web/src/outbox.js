// Signals waiting for the endpoint, persisted so a reload or a closed tab loses nothing, and capped
// so a long outage cannot fill the visitor's storage: beyond the cap the oldest go first. The
// newest always stays, even alone over the byte cap: a signal is never dropped before it was sent.
// No DOM: storage is passed in (see storage.js).

export function createOutbox(storage, { key = 'mqlscore:outbox', maxItems = 200, maxBytes = 256 * 1024 } = {}) {
  const read = () => {
    try {
      const items = JSON.parse(storage.getItem(key) || '[]');
      return Array.isArray(items) ? items.filter((item) => item && typeof item.id === 'string') : [];
    } catch {
      return [];  // a corrupted outbox starts empty rather than blocking every future signal
    }
  };
  const write = (items) => {
    let text = JSON.stringify(items);
    while (items.length > maxItems || (items.length > 1 && text.length > maxBytes)) {
      items.shift();
      text = JSON.stringify(items);
    }
    storage.setItem(key, text);
  };
  return {
    /** Adds a signal ({id, ...}); a signal whose id is already waiting is not added twice. */
    add(signal) {
      const items = read();
      if (!items.some((item) => item.id === signal.id)) items.push(signal);
      write(items);
    },
    /** The waiting signals, oldest first. */
    peek: read,
    /** Removes delivered (or dropped) signals by id. */
    remove(ids) {
      const gone = new Set(ids);
      write(read().filter((item) => !gone.has(item.id)));
    },
    get size() { return read().length; },
  };
}
