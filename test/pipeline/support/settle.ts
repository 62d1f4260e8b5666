import { randomUUID } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { expect } from 'vitest';
import { COLLECTIONS, ids } from '../../../src/store/ids.js';
import { eventually } from '../../support/eventually.js';
import type { TestApp } from '../../support/test-app.js';
import { REPO, type SkippableClock } from './pipeline-world.js';

/**
 * Sends a delivery and waits until the pipeline is done with it: fanned out, and the reconcile job of each
 * given workspace finished. So a test can assert that something did NOT happen without sleeping.
 */
export async function sendAndSettle(options: {
  t: TestApp;
  delivery: { event: string; payload: unknown };
  prNumber: number;
  teams: string[];
  repo?: string;
  timeoutMs?: number;
  /** When given, a job that sleeps (a backoff, a wait for an unsure post to settle) is woken at once by moving this clock. */
  skipWaits?: { clock: SkippableClock; wake(): void };
}): Promise<void> {
  const { t, prNumber, teams } = options;
  const deliveryId = randomUUID();
  const res = await t.sendDelivery({ ...options.delivery, deliveryId });
  expect(res.status).toBe(202);
  await eventually(async () => {
    const delivery = await t.deps.db.collection(COLLECTIONS.deliveries).doc(deliveryId).get();
    expect(delivery.get('status')).toBe('fanned_out');
    for (const workspaceId of teams) {
      const job = await t.deps.db
        .collection(COLLECTIONS.jobs)
        .doc(ids.reconcileJob({ workspaceId, repoFullName: options.repo ?? REPO, prNumber }))
        .get();
      const runAt: unknown = job.get('run_at');
      const skip = options.skipWaits;
      if (skip && job.get('status') === 'pending' && runAt instanceof Timestamp && runAt.toDate() > skip.clock.now()) {
        skip.clock.skipTo(runAt.toDate());
        skip.wake();
      }
      // On a timeout the report says why the job is not done: when it runs next, what it waits for, its last error.
      const why = {
        run_at: runAt instanceof Timestamp ? runAt.toDate().toISOString() : runAt,
        attempts: job.get('attempts'),
        wait_reason: job.get('wait_reason'),
        last_error: job.get('last_error'),
      };
      expect(job.get('status'), `reconcile job of ${workspaceId}: ${JSON.stringify(why)}`).toBe('done');
    }
  }, options.timeoutMs ?? 8000);
}
