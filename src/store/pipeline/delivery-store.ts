import type { Firestore } from '@google-cloud/firestore';
import type { DeliveryStore } from '../../pipeline/ports.js';
import { createJobInBatch } from '../queue/create-in-batch.js';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';

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
