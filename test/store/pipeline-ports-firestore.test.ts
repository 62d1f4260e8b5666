import { afterAll } from 'vitest';
import { createReconcileQueue, reconcileJob } from '../../src/pipeline/jobs.js';
import { createFirestoreQueue } from '../../src/store/queue/firestore-queue.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { readFields } from '../../src/store/firestore/decode.js';
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
  reconcileQueue: async () => {
    await clear();
    const jobs = createFirestoreQueue(db, { now: () => new Date('2024-01-01T00:00:00Z') });
    return {
      queue: createReconcileQueue(jobs.queue),
      async pending() {
        const docs = await db.collection('jobs').where('kind', '==', reconcileJob.name).get();
        return docs.docs
          .filter((d) => d.get('status') === 'pending')
          .map((d) => reconcileJob.decode(readFields(d.ref.path, d.data()).map('payload')));
      },
    };
  },
});
