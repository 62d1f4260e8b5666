import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toJobRequest } from '../../src/queue/job-kind.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createFirestoreDeliveryStore } from '../../src/store/pipeline/delivery-store.js';
import { failCommits } from '../support/commit-faults.js';
import { createTestFirestore } from '../support/firestore.js';
import { probeJob } from '../pipeline/support/queue-kit.js';

const { db, clear } = createTestFirestore('delivery-accept-retry');
afterAll(() => db.terminate());
beforeEach(() => clear());

/** GitHub gives up on a delivery after 10 s, and does not send it again by itself. */
const GITHUB_TIMEOUT_MS = 10_000;

const accepting = (deliveryId: string, bodySha256: string, receivedAt = new Date()) => ({
  deliveryId,
  bodySha256,
  event: 'pull_request',
  action: 'opened',
  receivedAt,
  job: toJobRequest(probeJob, { name: deliveryId }, { key: `fan-out-${deliveryId}`, keyMode: 'unique' }),
  keepForMs: 60_000,
  claimFor: { owner: 'runner-a', leaseMs: 60_000, limit: 10, leaseToken: () => 'token-a' },
});

const count = async (collection: string) => (await db.collection(collection).count().get()).data().count;

describe('storing a delivery when Firestore answers with an error', () => {
  it('a commit aborted for contention (nothing written) is tried again: the delivery is stored, with its job', async () => {
    const faults = failCommits(db, { code: 10, landed: false, times: 1 });
    try {
      const outcome = await createFirestoreDeliveryStore(db).accept(accepting('d-aborted', 'sha-aborted'));
      expect(outcome).toMatchObject({ outcome: 'accepted', claimed: { job: { leaseOwner: 'runner-a' } } });
      expect(faults.attempts()).toBe(2);
    } finally {
      faults.restore();
    }
    expect((await db.collection(COLLECTIONS.deliveries).doc(ids.delivery('d-aborted')).get()).exists).toBe(true);
    expect(await count(COLLECTIONS.jobs)).toBe(1);
  });

  it('a commit that landed but was answered `UNKNOWN` is accepted as this request, not taken for a redelivery', async () => {
    const faults = failCommits(db, { code: 2, landed: true, times: 1 });
    try {
      const outcome = await createFirestoreDeliveryStore(db).accept(accepting('d-unknown', 'sha-unknown'));
      // The job was written leased to this runner: it must run it now, not leave it until the lease runs out.
      expect(outcome).toMatchObject({ outcome: 'accepted', claimed: { job: { leaseOwner: 'runner-a' } } });
    } finally {
      faults.restore();
    }
    expect(await count(COLLECTIONS.deliveries)).toBe(1);
    expect(await count(COLLECTIONS.jobs)).toBe(1);
  });

  it('a real redelivery after an answer lost is still recognised as one', async () => {
    const store = createFirestoreDeliveryStore(db);
    await store.accept(accepting('d-first', 'sha-same', new Date(Date.now() - 5_000)));
    const faults = failCommits(db, { code: 2, landed: false, times: 1 });
    try {
      expect(await store.accept(accepting('d-first', 'sha-same'))).toEqual({ outcome: 'duplicate' });
      // The same body under a new delivery id: a replay.
      expect(await store.accept(accepting('d-replay', 'sha-same'))).toEqual({ outcome: 'duplicate' });
    } finally {
      faults.restore();
    }
    expect(await count(COLLECTIONS.deliveries)).toBe(1);
  });

  it('a Firestore that keeps failing gets a few tries, well within GitHub’s timeout, then the error', async () => {
    const faults = failCommits(db, { code: 10, landed: false, times: 1_000 });
    const started = Date.now();
    try {
      await expect(createFirestoreDeliveryStore(db).accept(accepting('d-down', 'sha-down'))).rejects.toMatchObject({
        code: 10,
      });
      expect(faults.attempts()).toBe(3);
    } finally {
      faults.restore();
    }
    expect(Date.now() - started).toBeLessThan(GITHUB_TIMEOUT_MS / 2);
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
  });
});
