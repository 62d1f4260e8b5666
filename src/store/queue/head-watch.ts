import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { buildQuery, QUERIES } from '../firestore/queries.js';
import type { ReadCounter } from '../../queue/read-counter.js';

/**
 * One listener on the job with the earliest `run_at` (pending jobs at their time, running ones at their lease's
 * end; finished jobs have none). It answers "is anything due, and if not, when?" without a query per look, and
 * wakes idle instances when new work arrives. Reads: one document per change of that head, nothing while idle.
 */
export function watchJobHead(input: {
  db: Firestore;
  reads: ReadCounter;
  onHead: (runAt: Date | null) => void;
  onError: (err: unknown) => void;
}): () => void {
  let first = true;
  // Only `run_at`: each change of the head sends that job to every idle instance, its payload is not needed here.
  return buildQuery(input.db, QUERIES.jobsHead, [], 1)
    .select('run_at')
    .onSnapshot((snap) => {
      if (first) input.reads.addQuery(snap.size);
      else input.reads.add(snap.docChanges().filter((c) => c.type !== 'removed').length);
      first = false;
      const runAt: unknown = snap.docs[0]?.get('run_at');
      // Firestore orders other types around timestamps; only a timestamp is a time to wake at.
      input.onHead(runAt instanceof Timestamp ? runAt.toDate() : null);
    }, input.onError);
}
