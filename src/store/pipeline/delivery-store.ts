import type { Firestore } from '@google-cloud/firestore';
import type { JobRequest } from '../../queue/job-kind.js';
import { createJobInBatch } from '../../queue/firestore/create-in-batch.js';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';

export type AcceptOutcome = 'accepted' | 'duplicate';

export interface DeliveryStore {
  /**
   * Records the delivery, its body's SHA-256 and the (unique) job it causes in one batch. `create()` makes a redelivery
   * (same X-GitHub-Delivery, or the same body under a new one) fail with ALREADY_EXISTS as a whole, so it is
   * recognised and causes no further work.
   */
  accept(input: {
    deliveryId: string;
    bodySha256: string;
    event: string;
    action: string;
    receivedAt: Date;
    job: JobRequest;
    keepForMs: number;
  }): Promise<AcceptOutcome>;
  /** Processing status: the delivery was fanned out to this many workspaces. */
  markFannedOut(input: { deliveryId: string; workspaces: number; at: Date }): Promise<void>;
}

export function createFirestoreDeliveryStore(db: Firestore): DeliveryStore {
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
      createJobInBatch({ db, batch, request: input.job, now: input.receivedAt });
      try {
        await batch.commit();
        return 'accepted';
      } catch (err) {
        if (isAlreadyExists(err)) return 'duplicate';
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
