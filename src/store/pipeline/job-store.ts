import { FieldValue, type DocumentData, type Firestore } from '@google-cloud/firestore';
import type { ClaimedJob, JobStore, JobView } from '../../jobs/job-store.js';
import { COLLECTIONS } from '../ids.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { toJobView, toNewJobData } from './job-docs.js';
import { buildQuery, QUERIES } from '../firestore/queries.js';

const ENQUEUE_CONCURRENCY = 16;
const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** Pending again at `runAt`, without counting the attempt that hands it back. */
const handBack = (input: { runAt: Date; now: Date }) => (job: JobView): DocumentData => ({
  status: 'pending', attempts: Math.max(0, job.attempts - 1), run_at: input.runAt,
  lease_owner: null, lease_until: null, updated_at: input.now,
});

/** The job queue on Firestore. Every state change is a transaction on the one job document. */
export function createFirestoreJobStore(db: Firestore): JobStore {
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  // One transaction at a time per job in this process: concurrent ones on one document wait on locks for seconds.
  const transactions = createTransactionRunner(db);

  /** Runs `change` on the job if `owner` still holds its lease; a job whose lease moved on is left alone. */
  async function whileLeased(id: string, owner: string, change: (job: JobView) => DocumentData): Promise<void> {
    await transactions.run(id, async (tx) => {
      const snap = await tx.get(ref(id));
      if (!snap.exists) return;
      const job = toJobView(id, snap.data());
      if (job.status !== 'running' || job.leaseOwner !== owner) return;
      tx.update(ref(id), change(job));
    });
  }

  return {
    async findDue({ now, limit }) {
      const snap = await buildQuery(db, QUERIES.dueJobs, [now], limit).get();
      return snap.docs.map((d) => d.id);
    },
    claim({ id, owner, now, leaseMs }) {
      return transactions.run(id, async (tx): Promise<ClaimedJob | null> => {
        const snap = await tx.get(ref(id));
        if (!snap.exists) return null;
        let job;
        try {
          job = toJobView(id, snap.data());
        } catch (err) {
          // A malformed job would head the queue forever: park it as dead, visible with the reason.
          tx.update(ref(id), { status: 'dead', run_at: FieldValue.delete(), last_error: String(err), updated_at: now });
          return null;
        }
        const due =
          (job.status === 'pending' && job.runAt !== null && job.runAt <= now) ||
          (job.status === 'running' && (job.leaseUntil === null || job.leaseUntil <= now));
        if (!due) return null;
        const until = later(now, leaseMs);
        tx.update(ref(id), {
          status: 'running', attempts: job.attempts + 1, lease_owner: owner, lease_until: until, run_at: until, updated_at: now,
        });
        return { id, kind: job.kind, payload: job.payload, attempts: job.attempts + 1, version: job.version };
      });
    },
    complete({ id, owner, version, now, keepForMs }) {
      return whileLeased(id, owner, (job) =>
        job.version !== version
          ? { status: 'pending', attempts: 0, run_at: now, lease_owner: null, lease_until: null, updated_at: now }
          : {
              status: 'done', run_at: FieldValue.delete(), lease_owner: null, lease_until: null,
              updated_at: now, finished_at: now, expire_at: later(now, keepForMs),
            },
      );
    },
    fail({ id, owner, now, error, runAt, keepForMs }) {
      return whileLeased(id, owner, () =>
        runAt === null
          ? {
              status: 'dead', run_at: FieldValue.delete(), lease_owner: null, lease_until: null, last_error: error,
              updated_at: now, finished_at: now, expire_at: later(now, keepForMs),
            }
          : { status: 'pending', run_at: runAt, lease_owner: null, lease_until: null, last_error: error, updated_at: now },
      );
    },
    release({ id, owner, now }) {
      return whileLeased(id, owner, handBack({ runAt: now, now }));
    },
    defer({ id, owner, now, runAt }) {
      return whileLeased(id, owner, handBack({ runAt, now }));
    },
    async enqueue({ jobs, now }) {
      for (let i = 0; i < jobs.length; i += ENQUEUE_CONCURRENCY) {
        await Promise.all(
          jobs.slice(i, i + ENQUEUE_CONCURRENCY).map((job) =>
            transactions.run(job.id, async (tx) => {
              const snap = await tx.get(ref(job.id));
              if (!snap.exists) return void tx.create(ref(job.id), toNewJobData(job, now));
              const current = toJobView(job.id, snap.data());
              const bump = { payload: job.payload, version: FieldValue.increment(1), updated_at: now };
              if (current.status === 'running') return void tx.update(ref(job.id), bump);
              // A job backing off (rate limit, outage) keeps its time; a fresh or finished one runs at once.
              const inBackoff = current.status === 'pending' && current.attempts > 0 && current.runAt !== null;
              tx.update(ref(job.id), {
                ...bump,
                status: 'pending',
                run_at: inBackoff ? current.runAt : now,
                ...(current.status === 'pending' ? {} : { attempts: 0, expire_at: FieldValue.delete(), finished_at: FieldValue.delete() }),
              });
            }),
          ),
        );
      }
    },
    async get(id) {
      const snap = await ref(id).get();
      return snap.exists ? toJobView(id, snap.data()) : null;
    },
  };
}
