import { toJobRequest, type EnqueueOptions, type JobKind } from './job-kind.js';
import type { JobStore } from './job-store.js';
import type { LocalSignal } from './local-signal.js';

/** Enqueueing, after graphile-worker's addJob(identifier, payload, { jobKey, jobKeyMode, runAt }). */
export interface JobQueue {
  enqueue<P>(kind: JobKind<P>, payload: P, options: EnqueueOptions): Promise<void>;
  /** Many jobs of one kind, in batched writes. `expectNew`: see JobStore. */
  enqueueMany<P>(
    kind: JobKind<P>,
    jobs: ReadonlyArray<{ payload: P; options: EnqueueOptions }>,
    options?: { expectNew?: boolean },
  ): Promise<void>;
}

export function createJobQueue(options: { store: JobStore; now: () => Date; enqueued: LocalSignal }): JobQueue {
  const queue: JobQueue = {
    enqueue: (kind, payload, enqueueOptions) => queue.enqueueMany(kind, [{ payload, options: enqueueOptions }]),
    async enqueueMany(kind, jobs, { expectNew } = {}) {
      if (jobs.length === 0) return;
      const requests = jobs.map((j) => toJobRequest(kind, j.payload, j.options));
      // This process's runner takes the jobs it has room for as they are created: leased in the same write.
      const taker = options.enqueued.taker();
      const claimFor = taker?.reserve() ?? undefined;
      const claimed = await options.store.enqueue({
        requests,
        now: options.now(),
        ...(claimFor ? { claimFor } : {}),
        ...(expectNew ? { expectNew } : {}),
      });
      if (claimed.length > 0) taker?.start(claimed);
      // The other jobs due now are worth claiming at once; later ones wait for their time like any other. With none
      // (all taken as they were created), nothing is signalled: a signal makes the runner look, and a look without
      // ids is a due-jobs query.
      const now = options.now();
      const taken = new Set(claimed.map((c) => c.job.id));
      const dueNow = requests.filter((r) => !taken.has(r.id) && (r.runAt === null || r.runAt <= now)).map((r) => r.id);
      if (dueNow.length > 0) options.enqueued.notify(dueNow);
    },
  };
  return queue;
}
