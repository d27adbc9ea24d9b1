// localStorage that never throws: blocked storage (Safari private mode, disabled cookies), a full
// quota or a missing `window.localStorage` fall back to memory with one console warning, so the
// widget keeps working for the page's lifetime and the host page never sees an exception.

/** getBackend: () => localStorage; null keeps everything in memory without a warning (no consent). */
export function createSafeStorage(getBackend, warn = (message) => console.warn(message)) {
  const memory = new Map();
  const unsaved = new Set();  // keys whose last write the backend refused: memory has their value
  let backend;
  let warned = false;
  const fallBack = (why) => {
    if (!warned) warn(`mqlscore: ${why}; keeping state in memory for this page only`);
    warned = true;
    backend = null;
  };
  const failed = (error) => fallBack(`localStorage failed (${error.name})`);
  if (getBackend) {
    try {
      backend = getBackend();
      const probe = '__mqlscore_probe__';
      backend.setItem(probe, '1');
      backend.removeItem(probe);
    } catch (error) {
      fallBack(`localStorage is not available (${error && error.name ? error.name : error})`);
    }
  }
  return {
    getItem(key) {
      if (backend && !unsaved.has(key)) {
        try { return backend.getItem(key); } catch (error) { failed(error); }
      }
      return memory.has(key) ? memory.get(key) : null;
    },
    setItem(key, value) {
      memory.set(key, value);
      if (!backend) return;
      try {
        backend.setItem(key, value);
        unsaved.delete(key);
      } catch (error) {
        // Quota errors are per write: keep the backend for smaller writes, say it once.
        if (!warned) warn(`mqlscore: localStorage refused a write (${error.name}); this item stays in memory`);
        warned = true;
        unsaved.add(key);
      }
    },
    /** Keys starting with `prefix`, from storage and memory. */
    keys(prefix) {
      const found = new Set([...memory.keys()].filter((k) => k.startsWith(prefix)));
      if (backend) {
        try {
          for (let i = 0; i < backend.length; i++) {
            const key = backend.key(i);
            if (key !== null && key.startsWith(prefix)) found.add(key);
          }
        } catch (error) {
          failed(error);
        }
      }
      return [...found];
    },
    removeItem(key) {
      memory.delete(key);
      unsaved.delete(key);
      if (!backend) return;
      try { backend.removeItem(key); } catch (error) { failed(error); }
    },
  };
}
