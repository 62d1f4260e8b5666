import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from '@google-cloud/firestore';
import { buildQuery, QUERIES } from '../firestore/queries.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { COLLECTIONS } from '../ids.js';
import type { ReadCounter } from '../../queue/read-counter.js';
import type { JobStore } from '../../queue/job-store.js';
import type { JobState } from '../../queue/job-state.js';
import { claimPatch, earlierRunOf, isDue } from '../../queue/transitions.js';
import { createBatchEnqueue } from './batch-enqueue.js';
import { watchJobHead } from './head-watch.js';
import { toJobState, toPatchData } from './job-docs.js';

/**
 * The job queue on Firestore: one document per job (`jobs/{key}`). Claims and settlements are transactions on that
 * one document; enqueues are batched; idle instances learn about new work from one snapshot listener.
 */
export function createFirestoreJobStore(db: Firestore, options: { reads: ReadCounter }): JobStore {
  const { reads } = options;
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  // One transaction at a time per job in this process: concurrent ones on one document wait on locks for seconds.
  const transactions = createTransactionRunner(db);
  const read = async (tx: Transaction, docRef: DocumentReference): Promise<DocumentSnapshot> => {
    const snap = await tx.get(docRef);
    reads.add(1);
    return snap;
  };
  const decode = (snap: DocumentSnapshot): JobState | null => {
    try {
      return toJobState(snap.id, snap.data());
    } catch {
      return null;
    }
  };

  return {
    enqueue: createBatchEnqueue({ db, reads, transactions }),
    async findDue({ now, limit }) {
      const snap = await buildQuery(db, QUERIES.dueJobs, [now], limit).select().get();
      reads.addQuery(snap.size);
      return snap.docs.map((d) => d.id);
    },
    claim({ id, owner, leaseToken, now, leaseMs }) {
      return transactions.run(id, async (tx) => {
        const snap = await read(tx, ref(id));
        if (!snap.exists) return null;
        let job: JobState;
        try {
          job = toJobState(id, snap.data());
        } catch (err) {
          // Not a job at all: it would head the queue forever. Park it as dead, visible with the reason.
          tx.update(ref(id), parkedData(err, now));
          return null;
        }
        if (!isDue(job, now)) return null;
        const patch = claimPatch({ owner, leaseToken, now, leaseMs, job });
        const claimed = { ...job, ...patch };
        tx.update(ref(id), toPatchData(patch, claimed));
        const earlier = earlierRunOf(job);
        return { job: claimed, earlierRunToken: earlier.token, mayOverlapEarlierRun: earlier.mayOverlap };
      });
    },
    settle({ id, leaseToken, change }) {
      return transactions.run(id, async (tx) => {
        const snap = await read(tx, ref(id));
        const job = snap.exists ? decode(snap) : null;
        if (!job || job.status !== 'running' || job.leaseToken !== leaseToken) return false;
        const patch = change(job);
        tx.update(ref(id), toPatchData(patch, { ...job, ...patch }));
        return true;
      });
    },
    async get(id) {
      const snap = await ref(id).get();
      reads.add(1);
      return snap.exists ? toJobState(id, snap.data()) : null;
    },
    watchHead: ({ onHead, onError }) => watchJobHead({ db, reads, onHead, onError }),
  };
}

function parkedData(err: unknown, now: Date): DocumentData {
  return {
    status: 'dead',
    run_at: FieldValue.delete(),
    pending_kind: FieldValue.delete(),
    last_error: `not a job document: ${String(err)}`.slice(0, 500),
    updated_at: now,
    finished_at: now,
  };
}
