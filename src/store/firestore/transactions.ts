import type { Firestore, Transaction } from '@google-cloud/firestore';

/**
 * Runs Firestore transactions, queued one at a time per document key inside this process.
 *
 * Why: Firestore server SDK transactions lock what they read. Two of them that read then write the same document
 * wait on each other until one is aborted (the emulator's lock timeout is 2 s, then the SDK backs off about 1 s),
 * so a burst on one key from one instance would crawl. Queuing per key locally removes that; the transaction
 * itself still guarantees correctness against other instances.
 */
export interface TransactionRunner {
  run<T>(key: string, body: (tx: Transaction) => Promise<T>): Promise<T>;
}

// Contention across instances aborts and retries; allow more attempts than the SDK's default 5.
const MAX_ATTEMPTS = 20;

export function createTransactionRunner(db: Firestore): TransactionRunner {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, body) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(() => db.runTransaction(body, { maxAttempts: MAX_ATTEMPTS }));
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      // Forget the key once its queue drains, so the map does not grow with every repo ever seen.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
