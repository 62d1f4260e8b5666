import { afterAll } from 'vitest';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { createTestFirestore } from '../support/firestore.js';
import { describeStoreContract } from './store-contract.js';

const { db, clear } = createTestFirestore('store-contract');
afterAll(() => db.terminate());

describeStoreContract('Firestore', async () => {
  await clear();
  return createFirestoreStore(db);
});
