import { toJobRequest, type EnqueueOptions, type JobKind } from './job-kind.js';
import type { JobStore } from './job-store.js';
import type { LocalSignal } from './local-signal.js';

/** Enqueueing, after graphile-worker's addJob(identifier, payload, { jobKey, jobKeyMode, runAt }). */
export interface JobQueue {
  enqueue<P>(kind: JobKind<P>, payload: P, options: EnqueueOptions): Promise<void>;
  /** Many jobs of one kind, in batched writes. */
  enqueueMany<P>(kind: JobKind<P>, jobs: ReadonlyArray<{ payload: P; options: EnqueueOptions }>): Promise<void>;
}

export function createJobQueue(options: { store: JobStore; now: () => Date; enqueued: LocalSignal }): JobQueue {
  const queue: JobQueue = {
    enqueue: (kind, payload, enqueueOptions) => queue.enqueueMany(kind, [{ payload, options: enqueueOptions }]),
    async enqueueMany(kind, jobs) {
      if (jobs.length === 0) return;
      await options.store.enqueue({
        requests: jobs.map((j) => toJobRequest(kind, j.payload, j.options)),
        now: options.now(),
      });
      options.enqueued.notify();
    },
  };
  return queue;
}
