/**
 * Values left for one taker each, by key: `take` hands a value out once, and a value nobody took within `keepMs` is
 * dropped (its giver moved on, e.g. another instance ran the job). What read-ahead.ts and run-handover.ts keep.
 */
export function createTakeOnce<V>(options: { keepMs: number; now: () => number }) {
  // In insertion order, so the oldest are first.
  const left = new Map<string, { at: number; value: V }>();
  const dropStale = () => {
    const cutoff = options.now() - options.keepMs;
    for (const [key, entry] of left) {
      if (entry.at > cutoff) break;
      left.delete(key);
    }
  };
  return {
    leave(key: string, value: V): void {
      dropStale();
      left.delete(key); // a newer value goes to the end, in time order
      left.set(key, { at: options.now(), value });
    },
    take(key: string): V | undefined {
      dropStale();
      const entry = left.get(key);
      left.delete(key);
      return entry?.value;
    },
  };
}
