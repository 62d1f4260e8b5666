import { afterAll } from 'vitest';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { createFirestorePostSlotStore } from '../../src/store/pipeline/post-slot-store.js';
import { createFirestorePrStateStore } from '../../src/store/pipeline/pr-state-store.js';
import { createFirestoreSubscriberNoticeStore } from '../../src/store/pipeline/subscriber-notice-store.js';
import { createFirestoreTrackedMessageStore } from '../../src/store/pipeline/tracked-message-store.js';
import { createTestFirestore } from '../support/firestore.js';
import { describePipelinePortContract, TRACKED_SETTLE_MS } from './pipeline-port-contract.js';

const { db, clear } = createTestFirestore('pipeline-ports');
afterAll(() => db.terminate());
/** Two adapters on one database: two instances of the app. */
const twice = async <T>(make: () => T): Promise<[T, T]> => {
  await clear();
  return [make(), make()];
};

describePipelinePortContract('Firestore', {
  prStates: () => twice(() => createFirestorePrStateStore(db)),
  tracked: () => twice(() => createFirestoreTrackedMessageStore(db, { settleMs: TRACKED_SETTLE_MS })),
  notices: async () => ({
    notices: await twice(() => createFirestoreSubscriberNoticeStore(db)),
    subscriptions: createFirestoreStore(db).subscriptions,
  }),
  postSlots: () => twice(() => createFirestorePostSlotStore(db)),
});
