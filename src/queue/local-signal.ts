/**
 * In-process "new work was enqueued here", with the ids of the jobs: wakes this instance's runner without waiting
 * for the store to tell it, and lets it claim those jobs at once (no query for due jobs first).
 */
export interface LocalSignal {
  notify(ids?: readonly string[]): void;
  subscribe(listener: (ids: readonly string[]) => void): () => void;
}

export function createLocalSignal(): LocalSignal {
  const listeners = new Set<(ids: readonly string[]) => void>();
  return {
    notify: (ids = []) => listeners.forEach((l) => l(ids)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
