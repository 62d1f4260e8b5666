import type { LogPort } from '../core/ports.js';
import type { ClaimedJob, JobKind, JobStore } from './job-store.js';
import { createPollTimer } from './poll-timer.js';
import { DEFAULT_RETRY_POLICY, retryAfterOf, toRetryDelayMs, type RetryPolicy } from './retry-policy.js';

/** A handler finishes the job, throws to retry it, or asks to run again later (`deferUntil`, not an attempt). */
export type JobHandler = (job: ClaimedJob, log: LogPort) => Promise<void | { deferUntil: Date }>;

export interface JobWorkerOptions {
  store: JobStore;
  handlers: Record<JobKind, JobHandler>;
  log: LogPort;
  now: () => Date;
  /** Lease owner id of this process. */
  owner: string;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** How long stop() lets in-flight jobs run before handing their leases back. */
  stopGraceMs?: number;
  keepDoneMs?: number;
  keepDeadMs?: number;
  retry?: RetryPolicy;
}

export interface JobWorker {
  start(): void;
  /** New work was enqueued: look now instead of at the next poll. */
  kick(): void;
  stop(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Claims due jobs (any instance may; leases decide), runs up to `concurrency` at once, and schedules retries.
 * Each job is independent: a slow or failing workspace occupies one slot and never blocks the others' jobs.
 */
export function createJobWorker(options: JobWorkerOptions): JobWorker {
  const { store, handlers, now, owner } = options;
  const concurrency = options.concurrency ?? 16;
  const pollMs = options.pollMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const log = options.log.child({ component: 'job-worker', owner });
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  let loop: Promise<void> | null = null;
  const timer = createPollTimer({ pollMs, now, isRunning: () => running });

  async function fill(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const ids = (await store.findDue({ now: now(), limit: free * 2 })).filter((id) => !inFlight.has(id));
    const claimed = await Promise.all(
      ids.map((id) =>
        store.claim({ id, owner, now: now(), leaseMs }).catch((err: unknown) => {
          log.error({ err, job_id: id }, 'claiming a job failed');
          return null;
        }),
      ),
    );
    for (const job of claimed) {
      if (!job) continue;
      if (inFlight.size >= concurrency || !running) {
        await store.release({ id: job.id, owner, now: now() });
        continue;
      }
      inFlight.set(job.id, run(job).finally(() => {
        inFlight.delete(job.id);
        timer.kick();
      }));
    }
  }

  async function run(job: ClaimedJob): Promise<void> {
    const jobLog = log.child({ job_id: job.id, kind: job.kind, attempt: job.attempts });
    try {
      const result = await handlers[job.kind](job, jobLog);
      if (result) {
        await store.defer({ id: job.id, owner, now: now(), runAt: result.deferUntil });
        timer.wakeAt(result.deferUntil);
        jobLog.info({ run_at: result.deferUntil.toISOString() }, 'job deferred');
        return;
      }
      await store.complete({ id: job.id, owner, version: job.version, now: now(), keepForMs: options.keepDoneMs ?? 7 * DAY_MS });
    } catch (err) {
      const dead = job.attempts >= retry.maxAttempts;
      const delay = toRetryDelayMs({ policy: retry, attempts: job.attempts, retryAfterMs: retryAfterOf(err) });
      const message = err instanceof Error ? err.message : String(err);
      jobLog[dead ? 'error' : 'warn']({ err, retry_in_ms: dead ? null : delay }, dead ? 'job dead after max attempts' : 'job failed, will retry');
      await store
        .fail({ id: job.id, owner, now: now(), error: message.slice(0, 500), runAt: dead ? null : new Date(now().getTime() + delay), keepForMs: options.keepDeadMs ?? 30 * DAY_MS })
        .catch((e: unknown) => jobLog.error({ err: e }, 'could not record job failure; its lease will expire'));
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      timer.beginRound();
      await fill().catch((err: unknown) => log.error({ err }, 'claiming jobs failed'));
      await timer.sleep();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    kick: () => timer.kick(),
    async stop() {
      running = false;
      timer.kick();
      // One deadline for everything: a claim stuck on an unreachable Firestore must not hold up shutdown
      // (SIGTERM has 10 s in all; Firestore termination and the HTTP server need some of it too).
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.stopGraceMs ?? 3_000).unref());
      const finished = (async () => {
        await loop;
        await Promise.all([...inFlight.values()]);
        return 'finished' as const;
      })();
      const outcome = await Promise.race([finished, grace]);
      if (outcome === 'timeout') {
        // Hand unfinished jobs back so another instance takes them at once instead of after the lease.
        const released = Promise.all([...inFlight.keys()].map((id) => store.release({ id, owner, now: now() }).catch(() => undefined)));
        // If Firestore does not answer, the leases simply expire and another instance takes the jobs.
        await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
        log.warn({ released: inFlight.size }, 'stopped with jobs in flight; leases released');
      }
    },
  };
}
