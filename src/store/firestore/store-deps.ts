import type { Firestore } from '@google-cloud/firestore';
import type { DocIo } from './doc-io.js';
import type { TransactionRunner } from './transactions.js';

/** What each Firestore store is built from: the client, the transaction runner and the shared document I/O. */
export interface StoreDeps {
  db: Firestore;
  transactions: TransactionRunner;
  io: DocIo;
}
