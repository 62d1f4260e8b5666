import type { Firestore, Transaction } from '@google-cloud/firestore';
import { createKeyedChain, type KeyedChain } from './keyed-chain.js';

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

/** One transaction with this store's attempt budget, for a caller that queues its work per key itself. */
export function runTransaction<T>(db: Firestore, body: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.runTransaction(body, { maxAttempts: MAX_ATTEMPTS });
}

/** `chain`: the per-key queue to share with the caller's other writes on the same documents (default: its own). */
export function createTransactionRunner(db: Firestore, options: { chain?: KeyedChain } = {}): TransactionRunner {
  const chain = options.chain ?? createKeyedChain();
  return { run: (key, body) => chain(key, () => runTransaction(db, body)) };
}
