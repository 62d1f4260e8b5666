import type { ReconcileKey, ReconcileQueue } from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';

export interface MemoryReconcileQueue extends ReconcileQueue {
  /** The pending reconciles, oldest first, each once however often it was enqueued. */
  pending(): ReconcileKey[];
  /** Takes every pending reconcile off the queue (what a worker would run next). */
  takeAll(): ReconcileKey[];
  /** The job's version, as the job queue counts it: 1 when first enqueued, one more for every enqueue since. */
  versionOf(key: ReconcileKey): number;
}

/** The reconcile queue's coalescing in memory: one pending job per (workspace, repo, PR), as the job id is. */
export function createMemoryReconcileQueue(): MemoryReconcileQueue {
  const jobs = new Map<string, ReconcileKey>();
  // Kept after a job is taken, as the job queue keeps a finished job's document (and its version).
  const versions = new Map<string, number>();
  return {
    async enqueueReconcile(keys) {
      for (const key of keys) {
        const id = ids.reconcileJob(key);
        // As the job queue coalesces: one job per key, in its first place, with the newest payload.
        jobs.set(id, { ...key });
        versions.set(id, (versions.get(id) ?? 0) + 1);
      }
    },
    pending: () => [...jobs.values()].map((k) => ({ ...k })),
    takeAll() {
      const taken = [...jobs.values()];
      jobs.clear();
      return taken;
    },
    versionOf: (key) => versions.get(ids.reconcileJob(key)) ?? 0,
  };
}
