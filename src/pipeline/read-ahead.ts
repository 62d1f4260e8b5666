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
  // In insertion order, so the oldest are first.
  const started = new Map<string, { at: number; answer: Promise<T> }>();
  const dropStale = () => {
    const cutoff = options.now() - options.keepMs;
    for (const [key, entry] of started) {
      if (entry.at > cutoff) break;
      started.delete(key);
    }
  };
  return {
    start(key, read) {
      dropStale();
      const answer = read();
      answer.catch(() => undefined); // a failed read is its taker's to see (it reads again)
      started.set(key, { at: options.now(), answer });
    },
    take(key) {
      dropStale();
      const entry = started.get(key);
      started.delete(key);
      return entry?.answer;
    },
  };
}
