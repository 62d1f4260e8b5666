/** In-process "new work was enqueued here": wakes this instance's runner without waiting for the store to tell it. */
export interface LocalSignal {
  notify(): void;
  subscribe(listener: () => void): () => void;
}

export function createLocalSignal(): LocalSignal {
  const listeners = new Set<() => void>();
  return {
    notify: () => listeners.forEach((l) => l()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
