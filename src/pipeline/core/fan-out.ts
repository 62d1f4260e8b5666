import { autoRegisterAuthor } from './auto-register.js';
import { isAnnouncement, type PrEvent } from './pr-event.js';
import type { PipelinePorts } from '../ports.js';

/**
 * The work one delivery causes, run as a durable job after ingress answered: fold the event into the PR
 * state, auto-register where the contract says so, then enqueue one reconcile job per subscribed workspace.
 * Every step is idempotent, so a retry of this job after a crash is harmless.
 */
export function createFanOut(ports: PipelinePorts) {
  return {
    async run(input: { event: PrEvent; deliveryId: string }): Promise<{ workspaceIds: string[] }> {
      const { event } = input;
      const log = ports.log.child({ delivery_id: input.deliveryId, repo: event.pr.repoFullName, pr: event.pr.number });
      // The fold, the author's auto-registration and the index query side by side: only the reconcile jobs need the
      // folded state, so they are written once it is (their reads go out meanwhile).
      const folding = ports.prStates.fold(event);
      folding.catch(() => undefined); // awaited below: its failure fails this job there
      const [registered, mappings] = await Promise.all([
        isAnnouncement(event) && !event.pr.draft ? autoRegisterAuthor({ ports, event, log }) : [],
        ports.subscriptions.workspacesForRepo(event.pr.repoFullName),
      ]);
      // A workspace the author's auto-registration subscribes is added to the index's answer either way.
      const workspaceIds = [...new Set([...mappings.map((m) => m.workspaceId), ...registered])];
      await ports.queue.enqueueReconcile(
        workspaceIds.map((workspaceId) => ({
          workspaceId,
          repoFullName: event.pr.repoFullName,
          prNumber: event.pr.number,
        })),
        { after: folding },
      );
      await folding;
      log.info({ workspaces: workspaceIds.length, auto_registered: registered.length }, 'fan-out enqueued');
      return { workspaceIds };
    },
  };
}
