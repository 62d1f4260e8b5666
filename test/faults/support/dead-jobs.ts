import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from '../../../src/store/ids.js';

/** Jobs the queue gave up on, as an operator would list them: id and last error. */
export async function deadJobs(db: Firestore): Promise<string[]> {
  const snap = await db.collection(COLLECTIONS.jobs).where('status', '==', 'dead').get();
  return snap.docs.map((d) => `${d.id}: ${String(d.get('last_error'))}`);
}
