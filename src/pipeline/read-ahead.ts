import { createTakeOnce } from './take-once.js';

/**
 * Reads started before their reader runs, one reader each (keyed, e.g. by delivery id): the reader takes the read
 * once, and a read nobody takes within `keepMs` is dropped. Only for reads whose answer as of their start is what the
 * reader wants: the repo's subscribers as of the delivery's arrival, read while the delivery is being stored.
 */
export interface ReadAhead<T> {
  start(key: string, read: () => Promise<T>): void;
  /** The read started for `key`, once; undefined when there is none (never started, taken, or dropped). */
  take(key: string): Promise<T> | undefined;
}

export function createReadAhead<T>(options: { keepMs: number; now: () => number }): ReadAhead<T> {
  const started = createTakeOnce<Promise<T>>(options);
  return {
    start(key, read) {
      const answer = read();
      answer.catch(() => undefined); // a failed read is its taker's to see (it reads again)
      started.leave(key, answer);
    },
    take: (key) => started.take(key),
  };
}
