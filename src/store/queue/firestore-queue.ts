import type { Firestore } from '@google-cloud/firestore';
import { createJobQueue, type JobQueue } from '../../queue/job-queue.js';
import type { JobAdminStore, JobStore } from '../../queue/job-store.js';
import { createLocalSignal, type LocalSignal } from '../../queue/local-signal.js';
import type { OpGate } from '../../queue/op-gate.js';
import type { DocIo } from '../firestore/doc-io.js';
import { createReadCounter, createTally, type ReadCounter, type Tally } from '../../queue/read-counter.js';
import { createFirestoreJobAdmin } from './job-admin.js';
import { createFirestoreJobStore } from './firestore-job-store.js';
import { createJobVersions, type JobVersions } from './job-versions.js';

export interface FirestoreQueue {
  queue: JobQueue;
  store: JobStore;
  admin: JobAdminStore;
  /** Local enqueues: the runner of this process listens. */
  enqueued: LocalSignal;
  /** Every Firestore read the queue made, counted as Firestore bills them. */
  reads: ReadCounter;
  /** Jobs this process enqueued or saw and may claim with one write (ingress adds the jobs it creates). */
  versions: JobVersions;
  /** Claims this process lost to another (a failed conditional write each): contention between instances. */
  lostClaims: Tally;
}

/** The queue's parts on one Firestore database, sharing one read counter. */
export function createFirestoreQueue(
  db: Firestore,
  options: { now: () => Date; gate?: OpGate; io?: DocIo },
): FirestoreQueue {
  const reads = createReadCounter();
  const versions = createJobVersions();
  const lostClaims = createTally();
  const store = createFirestoreJobStore(db, {
    reads,
    versions,
    lostClaims,
    ...(options.gate ? { gate: options.gate } : {}),
    ...(options.io ? { io: options.io } : {}),
  });
  const enqueued = createLocalSignal();
  return {
    queue: createJobQueue({ store, now: options.now, enqueued }),
    store,
    admin: createFirestoreJobAdmin(db, { reads }),
    enqueued,
    reads,
    versions,
    lostClaims,
  };
}
