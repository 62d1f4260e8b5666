import type { Firestore } from '@google-cloud/firestore';
import type { DeliveryStore } from '../../pipeline/ports.js';
import { createJobInBatch } from '../queue/create-in-batch.js';
import type { JobVersions } from '../queue/job-versions.js';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';

/**
 * `versions`: the job created with a delivery is remembered as written, so this process claims it (or, created already
 * leased to it, settles it) with one write.
 */
export function createFirestoreDeliveryStore(db: Firestore, options: { versions?: JobVersions } = {}): DeliveryStore {
  return {
    async accept(input) {
      const batch = db.batch();
      const expireAt = new Date(input.receivedAt.getTime() + input.keepForMs);
      batch.create(db.collection(COLLECTIONS.deliveries).doc(ids.delivery(input.deliveryId)), {
        event: input.event,
        action: input.action,
        received_at: input.receivedAt,
        status: 'queued',
        job_id: input.job.id,
        body_sha256: input.bodySha256,
        expire_at: expireAt,
      });
      batch.create(db.collection(COLLECTIONS.deliveryBodies).doc(ids.deliveryBody(input.bodySha256)), {
        delivery_id: input.deliveryId,
        received_at: input.receivedAt,
        expire_at: expireAt,
      });
      const { job, claimed } = createJobInBatch({
        db,
        batch,
        request: input.job,
        now: input.receivedAt,
        ...(input.claimFor ? { claimFor: input.claimFor } : {}),
      });
      try {
        const results = await batch.commit();
        // The job is the batch's last write.
        const updateTime = results[results.length - 1]?.writeTime;
        if (updateTime) options.versions?.wrote({ job, updateTime, leasedHere: claimed !== null });
        return { outcome: 'accepted', claimed };
      } catch (err) {
        if (isAlreadyExists(err)) return { outcome: 'duplicate' };
        throw err;
      }
    },
    async markFannedOut(input) {
      await db.collection(COLLECTIONS.deliveries).doc(ids.delivery(input.deliveryId)).update({
        status: 'fanned_out',
        workspaces: input.workspaces,
        fanned_out_at: input.at,
      });
    },
  };
}
