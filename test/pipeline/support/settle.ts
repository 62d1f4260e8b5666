import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { COLLECTIONS, ids } from '../../../src/store/ids.js';
import { eventually } from '../../support/eventually.js';
import type { TestApp } from '../../support/test-app.js';
import { REPO } from './pipeline-world.js';

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
      expect(job.get('status')).toBe('done');
    }
  }, options.timeoutMs ?? 8000);
}
