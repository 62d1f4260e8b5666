import type { Firestore } from '@google-cloud/firestore';
import type { Store } from '../types.js';

// Placeholder until the Firestore store lands. Owned by the store work.
export function createFirestoreStore(_db: Firestore): Store {
  throw new Error('createFirestoreStore: not built yet');
}
