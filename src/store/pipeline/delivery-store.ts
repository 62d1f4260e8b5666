import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { DeliveryStore } from '../../pipeline/ports.js';
import { newJobForBatch } from '../queue/new-job-for-batch.js';
import { commitCreatesWithRetry } from '../firestore/retry-commit.js';
import type { JobVersions } from '../queue/job-versions.js';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';

/**
 * `versions`: the job created with a delivery is remembered as written, so this process claims it (or, created already
 * leased to it, settles it) with one write. `io`: the worker's batched writes, which a fan-out's record of its
 * outcome joins (a backlog's fan-outs end together: one commit for all of them, not one each).
 */
export function createFirestoreDeliveryStore(
  db: Firestore,
  options: { versions?: JobVersions; io?: DocIo } = {},
): DeliveryStore {
  const io = options.io ?? createBatchedDocIo(db);
  return {
    async accept(input) {
      const expireAt = new Date(input.receivedAt.getTime() + input.keepForMs);
      const deliveryRef = db.collection(COLLECTIONS.deliveries).doc(ids.delivery(input.deliveryId));
      const delivery = {
        event: input.event,
        action: input.action,
        received_at: input.receivedAt,
        status: 'queued',
        job_id: input.job.id,
        body_sha256: input.bodySha256,
        expire_at: expireAt,
      };
      const body = { delivery_id: input.deliveryId, received_at: input.receivedAt, expire_at: expireAt };
      const newJob = newJobForBatch({
        db,
        request: input.job,
        now: input.receivedAt,
        ...(input.claimFor ? { claimFor: input.claimFor } : {}),
      });
      const commit = () => {
        const batch = db.batch();
        batch.create(deliveryRef, delivery);
        batch.create(db.collection(COLLECTIONS.deliveryBodies).doc(ids.deliveryBody(input.bodySha256)), body);
        // The job is the batch's last write.
        newJob.addTo(batch);
        return batch.commit();
      };
      // An earlier try landed if the delivery is this request's: same body, received at the same instant.
      const landed = async () => {
        const snap = await deliveryRef.get();
        const receivedAt: unknown = snap.get('received_at');
        return (
          snap.get('body_sha256') === input.bodySha256 &&
          receivedAt instanceof Timestamp &&
          receivedAt.toMillis() === input.receivedAt.getTime()
        );
      };
      try {
        const results = await commitCreatesWithRetry(commit, landed);
        const updateTime = results === 'landed-earlier' ? undefined : results[results.length - 1]?.writeTime;
        if (updateTime) options.versions?.wrote({ job: newJob.job, updateTime, leasedHere: newJob.claimed !== null });
        return { outcome: 'accepted', claimed: newJob.claimed };
      } catch (err) {
        if (isAlreadyExists(err)) return { outcome: 'duplicate' };
        throw err;
      }
    },
    async markFannedOut(input) {
      await io.update(db.collection(COLLECTIONS.deliveries).doc(ids.delivery(input.deliveryId)), {
        status: 'fanned_out',
        workspaces: input.workspaces,
        fanned_out_at: input.at,
      });
    },
  };
}
