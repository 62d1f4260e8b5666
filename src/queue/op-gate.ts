/**
 * Bounds how many operations run at once (the worker's Firestore calls). The job runner may have a hundred jobs in
 * flight, most of them waiting on Slack; their Firestore calls past the bound wait here, in order, instead of at the
 * database, so a webhook's write (not gated) never queues behind a fan-out's hundreds of reads and writes.
 */
export interface OpGate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createOpGate(limit: number): OpGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };
  return {
    async run(work) {
      if (running < limit) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** No bound: for stores used outside the worker (ingress, operator tools). */
export const UNGATED: OpGate = { run: (work) => work() };
