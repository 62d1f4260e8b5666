import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from '../../../src/store/ids.js';

/** Jobs not done, one line each (status, run time, lease, wait reason, last error): what a failing fault test shows. */
export async function unfinishedJobs(db: Firestore): Promise<string[]> {
  const snap = await db.collection(COLLECTIONS.jobs).where('status', '!=', 'done').get();
  const time = (v: unknown) => (v instanceof Timestamp ? v.toDate().toISOString() : String(v));
  return snap.docs.map((d) =>
    [
      d.id,
      d.get('status'),
      `run_at ${time(d.get('run_at'))}`,
      `lease ${String(d.get('lease_owner'))} until ${time(d.get('lease_until'))}`,
      `wait ${String(d.get('wait_reason'))}`,
      `error ${String(d.get('last_error'))}`,
    ].join(' | '),
  );
}
