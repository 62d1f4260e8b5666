import { createJsonReader } from '../core/json-reader.js';
import { parsePrEvent } from '../core/parse-pr-event.js';
import type { PrEvent } from '../core/pr-event.js';
import { PostDeferredError } from '../core/sync-message.js';
import type { ReconcileKey, ReconcileQueue } from '../core/ports.js';
import type { DeliveryStore } from '../store/pipeline/delivery-store.js';
import { ids } from '../store/ids.js';
import type { JobKind, JobSpec, JobStore } from './job-store.js';
import type { JobHandler } from './worker.js';

/** The two kinds of pipeline job: one fan-out per delivery, one reconcile per (workspace, repo, PR). */
export function toFanOutJob(input: { deliveryId: string; event: PrEvent }): JobSpec {
  return { id: ids.fanOutJob(input.deliveryId), kind: 'fanout', payload: { delivery_id: input.deliveryId, event: input.event } };
}

function toReconcileJob(key: ReconcileKey): JobSpec {
  return {
    id: ids.reconcileJob(key),
    kind: 'reconcile',
    payload: { team_id: key.teamId, repo_full_name: key.repoFullName, pr_number: key.prNumber },
  };
}

export function createReconcileQueue(options: { store: JobStore; onEnqueued: () => void }): ReconcileQueue {
  return {
    async enqueueReconcile(keys, now) {
      if (keys.length === 0) return;
      await options.store.enqueue({ jobs: keys.map(toReconcileJob), now });
      options.onEnqueued();
    },
  };
}

export function createPipelineHandlers(options: {
  fanOut: { run(input: { event: PrEvent; deliveryId: string }): Promise<{ teams: string[] }> };
  deliveries: Pick<DeliveryStore, 'markFannedOut'>;
  now: () => Date;
  reconciler: { reconcile(key: ReconcileKey): Promise<string> };
}): Record<JobKind, JobHandler> {
  return {
    async fanout(job) {
      const r = createJsonReader(job.payload);
      const deliveryId = r.string('delivery_id');
      const { teams } = await options.fanOut.run({ deliveryId, event: parsePrEvent(job.payload['event']) });
      await options.deliveries.markFannedOut({ deliveryId, workspaces: teams.length, at: options.now() });
    },
    async reconcile(job, log) {
      const r = createJsonReader(job.payload);
      const key = { teamId: r.string('team_id'), repoFullName: r.string('repo_full_name'), prNumber: r.integer('pr_number') };
      try {
        const outcome = await options.reconciler.reconcile(key);
        log.info({ team_id: key.teamId, outcome }, 'reconciled');
      } catch (err) {
        if (!(err instanceof PostDeferredError)) throw err;
        return { deferUntil: err.until };
      }
      return undefined;
    },
  };
}
