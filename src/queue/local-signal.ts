import type { ClaimAtEnqueue, ClaimedJob } from './job-store.js';

/**
 * In-process "new work was enqueued here", with the ids of the jobs: wakes this instance's runner without waiting
 * for the store to tell it, and lets it claim those jobs at once (no query for due jobs first). A runner may also
 * take jobs as they are created (`taker`): they are written already leased to it and handed over to run.
 */
export interface LocalSignal {
  notify(ids: readonly string[]): void;
  subscribe(listener: (ids: readonly string[]) => void): () => void;
  /** The runner taking jobs at enqueue, while it runs; one at a time. */
  attachTaker(taker: LocalTaker): () => void;
  taker(): LocalTaker | null;
}

export interface LocalTaker {
  /** How many jobs it can start now and under which lease; null when it takes none. */
  reserve(): ClaimAtEnqueue | null;
  /** The jobs written already claimed for it: started at once. */
  start(jobs: readonly ClaimedJob[]): void;
}

export function createLocalSignal(): LocalSignal {
  const listeners = new Set<(ids: readonly string[]) => void>();
  let current: LocalTaker | null = null;
  return {
    notify: (ids) => listeners.forEach((l) => l(ids)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attachTaker(taker) {
      current = taker;
      return () => {
        if (current === taker) current = null;
      };
    },
    taker: () => current,
  };
}
