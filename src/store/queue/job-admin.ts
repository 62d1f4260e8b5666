import { Timestamp, type Firestore, type Query } from '@google-cloud/firestore';
import { buildQuery, QUERIES } from '../firestore/queries.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { COLLECTIONS } from '../ids.js';
import { toPendingAgain } from '../../queue/job-state.js';
import type { JobAdminStore, QueueCounts } from '../../queue/job-store.js';
import type { ReadCounter } from '../../queue/read-counter.js';
import { toJobState, toPatchData } from './job-docs.js';

/** Operator tooling on the Firestore queue: counts (aggregation queries), dead jobs, re-run and drop. */
export function createFirestoreJobAdmin(db: Firestore, options: { reads: ReadCounter }): JobAdminStore {
  const { reads } = options;
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  const transactions = createTransactionRunner(db);
  // An aggregation is billed one read per 1,000 index entries it counts.
  const count = async (query: Query): Promise<number> => {
    const n = (await query.count().get()).data().count;
    reads.add(Math.max(1, Math.ceil(n / 1000)));
    return n;
  };
  const byStatus = (status: string) => buildQuery(db, QUERIES.jobsByStatus, [status]);
  const dead = byStatus('dead');

  return {
    async counts(now) {
      const [due, retrying, waiting, running, deadCount, oldest, waits] = await Promise.all([
        count(buildQuery(db, QUERIES.dueJobs, [now])),
        count(buildQuery(db, QUERIES.jobsByPendingKind, ['retry'])),
        count(buildQuery(db, QUERIES.jobsByPendingKind, ['wait'])),
        count(byStatus('running')),
        count(dead),
        buildQuery(db, QUERIES.dueJobs, [now], 1).get(),
        // Reasons of up to 500 waiting jobs: enough to say what they wait for.
        buildQuery(db, QUERIES.jobsByPendingKind, ['wait'], 500).select('wait_reason').get(),
      ]);
      reads.addQuery(oldest.size);
      reads.addQuery(waits.size);
      const byReason: QueueCounts['waiting'] = {};
      for (const doc of waits.docs) {
        const reason: unknown = doc.get('wait_reason');
        const key = typeof reason === 'string' ? reason : 'unknown';
        byReason[key] = (byReason[key] ?? 0) + 1;
      }
      if (waiting > waits.size) byReason['unknown'] = (byReason['unknown'] ?? 0) + waiting - waits.size;
      const first = oldest.docs[0] ? toJobState(oldest.docs[0].id, oldest.docs[0].data()) : null;
      return {
        due,
        retrying,
        waiting: byReason,
        running,
        dead: deadCount,
        oldestDueMs: first?.runAt ? Math.max(0, now.getTime() - first.runAt.getTime()) : 0,
      };
    },
    async depth(now) {
      const [pending, running, oldest] = await Promise.all([
        count(byStatus('pending')),
        count(byStatus('running')),
        buildQuery(db, QUERIES.dueJobs, [now], 1).select('run_at').get(),
      ]);
      reads.addQuery(oldest.size);
      const runAt: unknown = oldest.docs[0]?.get('run_at');
      const oldestDueMs = runAt instanceof Timestamp ? Math.max(0, now.getTime() - runAt.toMillis()) : 0;
      return { pending, running, oldestDueMs };
    },
    async listDead(limit) {
      const snap = await dead.limit(limit).get();
      reads.addQuery(snap.size);
      return snap.docs.map((d) => {
        const job = toJobState(d.id, d.data());
        return {
          id: job.id,
          kind: job.kind,
          payload: job.payload,
          lastError: job.lastError,
          finishedAt: job.finishedAt,
          attempts: job.attempts,
        };
      });
    },
    async deadIds() {
      const snap = await dead.select().get();
      reads.addQuery(snap.size);
      return snap.docs.map((d) => d.id);
    },
    retryDead({ id, now }) {
      return transactions.run(id, async (tx) => {
        const snap = await tx.get(ref(id));
        reads.add(1);
        if (!snap.exists) return false;
        const job = toJobState(id, snap.data());
        if (job.status !== 'dead') return false;
        const patch = { ...toPendingAgain(now), version: job.version + 1, updatedAt: now };
        tx.update(ref(id), toPatchData(patch, { ...job, ...patch }));
        return true;
      });
    },
    dropDead(id) {
      return transactions.run(id, async (tx) => {
        const snap = await tx.get(ref(id));
        reads.add(1);
        if (!snap.exists || snap.get('status') !== 'dead') return false;
        tx.delete(ref(id));
        return true;
      });
    },
  };
}
