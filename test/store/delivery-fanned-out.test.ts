import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toJobRequest } from '../../src/queue/job-kind.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createBatchedDocIo } from '../../src/store/firestore/doc-io.js';
import { createFirestoreDeliveryStore } from '../../src/store/pipeline/delivery-store.js';
import { countCommits } from '../support/commit-faults.js';
import { createTestFirestore } from '../support/firestore.js';
import { probeJob } from '../pipeline/support/queue-kit.js';

const { db, clear } = createTestFirestore('delivery-fanned-out');
afterAll(() => db.terminate());
beforeEach(() => clear());

const accepting = (deliveryId: string) => ({
  deliveryId,
  bodySha256: `sha-${deliveryId}`,
  event: 'pull_request',
  action: 'opened',
  receivedAt: new Date(),
  job: toJobRequest(probeJob, { name: deliveryId }, { key: `fan-out-${deliveryId}`, keyMode: 'unique' }),
  keepForMs: 60_000,
});

describe("a fan-out's record of its outcome", () => {
  it("the deliveries of a backlog's fan-outs that end together are marked in one commit; one that is gone fails alone", async () => {
    const store = createFirestoreDeliveryStore(db, { io: createBatchedDocIo(db) });
    const names = ['d1', 'd2', 'd3'];
    for (const name of names) expect(await store.accept(accepting(name))).toMatchObject({ outcome: 'accepted' });
    const counted = countCommits(db);
    try {
      const at = new Date();
      await Promise.all(names.map((deliveryId) => store.markFannedOut({ deliveryId, workspaces: 2, at })));
      expect(counted.commits()).toBe(1);
      for (const name of names) {
        const doc = await db.collection(COLLECTIONS.deliveries).doc(ids.delivery(name)).get();
        expect(doc.data()).toMatchObject({ status: 'fanned_out', workspaces: 2 });
      }
      // A delivery that is no longer stored fails its own mark; the others of the same turn land.
      const marks = await Promise.allSettled([
        store.markFannedOut({ deliveryId: 'never-stored', workspaces: 1, at }),
        store.markFannedOut({ deliveryId: 'd1', workspaces: 3, at }),
      ]);
      expect(marks.map((m) => m.status)).toEqual(['rejected', 'fulfilled']);
      const d1 = await db.collection(COLLECTIONS.deliveries).doc(ids.delivery('d1')).get();
      expect(d1.get('workspaces')).toBe(3);
    } finally {
      counted.restore();
    }
  });
});
