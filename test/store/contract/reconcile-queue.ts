import { describe, expect, it } from 'vitest';
import type { ReconcileKey, ReconcileQueue } from '../../../src/pipeline/ports.js';

/** A reconcile queue, and a look at the reconciles it holds pending (the jobs a worker would run next). */
export type MakeReconcileQueue = () => Promise<{ queue: ReconcileQueue; pending(): Promise<ReconcileKey[]> }>;

const byKey = (a: Pick<ReconcileKey, 'workspaceId' | 'prNumber'>, b: Pick<ReconcileKey, 'workspaceId' | 'prNumber'>) =>
  `${a.workspaceId}#${a.prNumber}`.localeCompare(`${b.workspaceId}#${b.prNumber}`);

export function describeReconcileQueueContract(makeQueue: MakeReconcileQueue): void {
  describe('reconcile queue', () => {
    it('coalesces a burst: one pending reconcile per (workspace, repo, PR), whatever the repo name’s case', async () => {
      const { queue, pending } = await makeQueue();
      const k = (workspaceId: string, prNumber: number, repoFullName = 'Octo/Repo') => ({
        workspaceId,
        repoFullName,
        prNumber,
      });
      await queue.enqueueReconcile([k('T1', 1), k('T1', 1), k('T2', 1)]);
      await Promise.all([
        queue.enqueueReconcile([k('T1', 1, 'octo/repo')]),
        queue.enqueueReconcile([k('T1', 2), k('T1', 1)]),
      ]);
      await queue.enqueueReconcile([]);
      const held = await pending();
      expect(held.map((p) => ({ workspaceId: p.workspaceId, prNumber: p.prNumber })).sort(byKey)).toEqual([
        { workspaceId: 'T1', prNumber: 1 },
        { workspaceId: 'T1', prNumber: 2 },
        { workspaceId: 'T2', prNumber: 1 },
      ]);
      expect(held.every((p) => p.repoFullName.toLowerCase() === 'octo/repo')).toBe(true);
    });
  });
}
