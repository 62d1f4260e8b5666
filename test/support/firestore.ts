import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { inject } from 'vitest';
import { createFirestore } from '../../src/store/firestore-client.js';

export function emulatorHost(): string {
  return inject('firestoreEmulatorHost');
}

/** A Firestore client on the shared emulator, in a project of its own so tests never see each other's data. */
export function createTestFirestore(prefix = 'test'): { db: Firestore; projectId: string; clear(): Promise<void> } {
  const projectId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const db = createFirestore({ emulatorHost: emulatorHost(), projectId });
  return { db, projectId, clear: () => clearProject(projectId) };
}

async function clearProject(projectId: string): Promise<void> {
  const res = await fetch(`http://${emulatorHost()}/emulator/v1/projects/${projectId}/databases/(default)/documents`, {
    method: 'DELETE',
  });
  if (!res.ok) throw new Error(`clearing emulator project ${projectId} failed: ${res.status}`);
}

/** Counts the transactions `db` runs from now on: the answer is how many so far. */
export function countTransactions(db: Firestore): () => number {
  let count = 0;
  const run = db.runTransaction.bind(db);
  db.runTransaction = (body, options) => {
    count += 1;
    return run(body, options);
  };
  return () => count;
}
