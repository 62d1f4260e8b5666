import type { ReconcileKey, ReconcileQueue } from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';

export interface MemoryReconcileQueue extends ReconcileQueue {
  /** The pending reconciles, oldest first, each once however often it was enqueued. */
  pending(): ReconcileKey[];
  /** Takes every pending reconcile off the queue (what a worker would run next). */
  takeAll(): ReconcileKey[];
}

/** The reconcile queue's coalescing in memory: one pending job per (workspace, repo, PR), as the job id is. */
export function createMemoryReconcileQueue(): MemoryReconcileQueue {
  const jobs = new Map<string, ReconcileKey>();
  return {
    async enqueueReconcile(keys) {
      for (const key of keys) {
        const id = ids.reconcileJob(key);
        // As the job queue coalesces: one job per key, in its first place, with the newest payload.
        jobs.set(id, { ...key });
      }
    },
    pending: () => [...jobs.values()].map((k) => ({ ...k })),
    takeAll() {
      const taken = [...jobs.values()];
      jobs.clear();
      return taken;
    },
  };
}
