import type { Firestore } from '@google-cloud/firestore';
import { createJobQueue, type JobQueue } from '../../queue/job-queue.js';
import type { JobAdminStore, JobStore } from '../../queue/job-store.js';
import { createLocalSignal, type LocalSignal } from '../../queue/local-signal.js';
import { createReadCounter, type ReadCounter } from '../../queue/read-counter.js';
import { createFirestoreJobAdmin } from './job-admin.js';
import { createFirestoreJobStore } from './firestore-job-store.js';

export interface FirestoreQueue {
  queue: JobQueue;
  store: JobStore;
  admin: JobAdminStore;
  /** Local enqueues: the runner of this process listens. */
  enqueued: LocalSignal;
  /** Every Firestore read the queue made, counted as Firestore bills them. */
  reads: ReadCounter;
}

/** The queue's parts on one Firestore database, sharing one read counter. */
export function createFirestoreQueue(db: Firestore, options: { now: () => Date }): FirestoreQueue {
  const reads = createReadCounter();
  const store = createFirestoreJobStore(db, { reads });
  const enqueued = createLocalSignal();
  return {
    queue: createJobQueue({ store, now: options.now, enqueued }),
    store,
    admin: createFirestoreJobAdmin(db, { reads }),
    enqueued,
    reads,
  };
}
