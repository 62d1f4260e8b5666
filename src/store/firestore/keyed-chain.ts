/** Runs `work` after every earlier piece of work queued under the same key in this process has finished. */
export type KeyedChain = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Runs async work one at a time per key inside this process (a job's claim, heartbeats and settlement; a document's
 * transactions), so this process never races itself on one document; other instances are kept out by the writes' own
 * preconditions or the transactions.
 */
export function createKeyedChain(): KeyedChain {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    // Forget the key once its queue drains, so the map does not grow with every job ever seen.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
