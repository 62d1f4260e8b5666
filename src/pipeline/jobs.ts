import { createJsonReader } from '../shared/json-reader.js';
import { decodePrEvent, encodePrEvent } from './core/pr-event-codec.js';
import type { PrEvent } from './core/pr-event.js';
import type { DeliveryStore, ReconcileQueue, ReconcileRequest, RunLease, WaitRequest } from './ports.js';
import { jobDone, jobWait } from '../queue/job-outcome.js';
import { defineJobKind } from '../queue/job-kind.js';
import type { JobQueue } from '../queue/job-queue.js';
import { defineTask, type Task } from '../queue/task.js';
import { ids, repoKey } from '../store/ids.js';

/** The two kinds of pipeline job: one fan-out per delivery (unique), one reconcile per (workspace, repo, PR) (coalescing). */
export const fanOutJob = defineJobKind<{ deliveryId: string; event: PrEvent }>({
  name: 'fanout',
  decode: (p) => ({ deliveryId: createJsonReader(p).string('delivery_id'), event: decodePrEvent(p['event']) }),
  encode: (p) => ({ delivery_id: p.deliveryId, event: encodePrEvent(p.event) }),
  describe: (p) => ({ delivery_id: p.deliveryId, repo: p.event.pr.repoFullName, pr: p.event.pr.number }),
  // A repo's jobs in one shard: one instance books the posting slots of the channels that follow it.
  shardKey: (p) => repoKey(p.event.pr.repoFullName),
  // A repo's fan-outs one at a time: each channel posts one message per posting interval, and one fan-out takes far
  // less than that, so running a repo's backlog of fan-outs at once only takes the slots other repos' first posts need.
  inFlightPerShard: 1,
});

export const reconcileJob = defineJobKind<ReconcileRequest>({
  name: 'reconcile',
  decode(p) {
    const r = createJsonReader(p);
    const foundRepo = r.optionalBoolean('found_repo');
    const foundAccount = r.optionalBoolean('found_account');
    const deliveryId = r.optionalString('delivery_id');
    return {
      workspaceId: r.string('team_id'),
      repoFullName: r.string('repo_full_name'),
      prNumber: r.integer('pr_number'),
      // Jobs enqueued without it (or before it existed) read every subscription that may route the repo.
      ...(foundRepo !== undefined && foundAccount !== undefined
        ? { found: { repo: foundRepo, account: foundAccount } }
        : {}),
      ...(deliveryId !== undefined ? { deliveryId } : {}),
    };
  },
  encode: (k) => ({
    team_id: k.workspaceId,
    repo_full_name: k.repoFullName,
    pr_number: k.prNumber,
    ...(k.found ? { found_repo: k.found.repo, found_account: k.found.account } : {}),
    ...(k.deliveryId !== undefined ? { delivery_id: k.deliveryId } : {}),
  }),
  describe: (k) => ({ team_id: k.workspaceId, repo: k.repoFullName, pr: k.prNumber }),
  shardKey: (k) => repoKey(k.repoFullName),
});

export const fanOutKey = (deliveryId: string) => ({ key: ids.fanOutJob(deliveryId), keyMode: 'unique' as const });

export function createReconcileQueue(queue: JobQueue): ReconcileQueue {
  return {
    enqueueReconcile: (requests, options) =>
      queue.enqueueMany(
        reconcileJob,
        requests.map((r) => ({ payload: r, options: { key: ids.reconcileJob(r), keyMode: 'coalesce' } })),
        options,
      ),
  };
}

export function createPipelineTasks(options: {
  fanOut: { run(input: { event: PrEvent; deliveryId: string }): Promise<{ workspaceIds: string[] }> };
  deliveries: Pick<DeliveryStore, 'markFannedOut'>;
  reconciler: { reconcile(request: ReconcileRequest, run: RunLease): Promise<string | WaitRequest> };
  now: () => Date;
}): Task[] {
  return [
    defineTask(fanOutJob, async ({ payload }) => {
      const { workspaceIds } = await options.fanOut.run(payload);
      await options.deliveries.markFannedOut({
        deliveryId: payload.deliveryId,
        workspaces: workspaceIds.length,
        at: options.now(),
      });
      return jobDone();
    }),
    defineTask(reconcileJob, async (run) => {
      const result = await options.reconciler.reconcile(run.payload, run);
      if (typeof result === 'object') return jobWait(result.wait.until, result.wait.reason);
      run.log.info({ outcome: result }, 'reconciled');
      return jobDone();
    }),
  ];
}
