/**
 * Loads asked for in one turn of the event loop, sent together: the keys of a turn go to `load` in chunks of `chunk`
 * (a key asked for twice, by `idOf`, once), and each caller gets its own key's answer, or its chunk's error. What a
 * caller asked for is sent after it asked, so it is never answered from an older load.
 */
export function createPerTurnLoader<K, V>(options: {
  chunk: number;
  /** One answer per key, in the order given. */
  load: (keys: K[]) => Promise<V[]>;
  /** What makes two keys the same (default: the key itself). */
  idOf?: (key: K) => unknown;
}): (key: K) => Promise<V> {
  const idOf = options.idOf ?? ((key: K) => key);
  type Waiter = { resolve: (value: V) => void; reject: (err: unknown) => void };
  let pending = new Map<unknown, { key: K; waiters: Waiter[] }>();

  function send(): void {
    const batch = [...pending.values()];
    pending = new Map();
    for (let i = 0; i < batch.length; i += options.chunk) {
      const chunk = batch.slice(i, i + options.chunk);
      // Called inside the chain: a load that throws at once answers its callers instead of throwing out of this turn.
      Promise.resolve()
        .then(() => options.load(chunk.map((c) => c.key)))
        .then(
          (values) => chunk.forEach((c, k) => c.waiters.forEach((w) => w.resolve(values[k] as V))),
          (err: unknown) => chunk.forEach((c) => c.waiters.forEach((w) => w.reject(err))),
        );
    }
  }

  return (key) =>
    new Promise((resolve, reject) => {
      if (pending.size === 0) setImmediate(send);
      const id = idOf(key);
      const entry = pending.get(id) ?? { key, waiters: [] };
      entry.waiters.push({ resolve, reject });
      pending.set(id, entry);
    });
}
