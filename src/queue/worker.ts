import { randomUUID } from 'node:crypto';
import type { LogPort } from '../shared/log-port.js';
import type { ClaimedJob, JobStore } from './job-store.js';
import type { LocalSignal } from './local-signal.js';
import { DEFAULT_RETRY_BUDGET, type RetryBudget } from './retry-budget.js';
import { runJob } from './run-job.js';
import type { Task } from './task.js';
import { handBackPatch } from './transitions.js';
import { createWakeUp } from './wake-up.js';

export interface JobRunnerOptions {
  store: JobStore;
  tasks: readonly Task[];
  log: LogPort;
  now: () => Date;
  /** Lease owner id of this process; each run's lease token is `owner:leaseId`. */
  owner: string;
  /** Local enqueues wake the runner at once. */
  enqueued?: LocalSignal;
  concurrency?: number;
  /** A lease is renewed every third of this while its job runs; a crashed instance's jobs are free after it. */
  leaseMs?: number;
  budget?: RetryBudget;
  keepDoneMs?: number;
  keepDeadMs?: number;
  /** stop(): how long in-flight jobs may finish before they are handed back. */
  stopGraceMs?: number;
  /** stop(): the most time handing back may take (Firestore may not answer). */
  handBackMs?: number;
  /** Poll interval while the store's head watch is not live. */
  pollMs?: number;
  /** Looks for due jobs this often even when the head watch says nothing is due. */
  safetyMs?: number;
  /**
   * Called on stop() after in-flight jobs were handed back, with their lease tokens: release what their runs hold
   * (post claims), so the next run does not wait for them.
   */
  onHandBack?: (input: { owner: string; leaseTokens: string[] }) => Promise<void>;
}

export interface JobRunner {
  start(): void;
  /** Look for due jobs now (after a local enqueue, or a test that moved its clock). */
  wake(): void;
  /** The earliest runAt of all jobs as the head watch last said: null when the queue is empty, undefined if unknown. */
  head(): Date | null | undefined;
  /** Stops claiming, lets in-flight jobs finish for the grace period, then hands the rest back. Bounded in time. */
  stop(): Promise<{ handedBack: number }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);

/**
 * Claims due jobs (any instance may; leases decide), runs up to `concurrency` at once, and records their outcomes.
 * A slow, failing or waiting job occupies nothing while it waits, so one workspace never delays another.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, now, owner } = options;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 30_000;
  // The caller's logger names the component; a second `component` key would be a duplicate.
  const log = options.log.child({ owner });
  const tasks = new Map(options.tasks.map((t) => [t.name, t]));
  const runOptions = {
    store,
    tasks,
    now,
    leaseMs,
    log,
    budget: options.budget ?? DEFAULT_RETRY_BUDGET,
    keepDoneMs: options.keepDoneMs ?? 7 * DAY_MS,
    keepDeadMs: options.keepDeadMs ?? 30 * DAY_MS,
  };
  const inFlight = new Map<string, { token: string; done: Promise<void> }>();
  /** Looks and hand-backs under way: stop() waits for them (within its deadline). */
  const tracked = new Set<Promise<unknown>>();
  let running = false;
  let head: Date | null | undefined;
  let unwatch: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;
  const wake = createWakeUp({
    now,
    look,
    pollMs: options.pollMs ?? 1_000,
    safetyMs: options.safetyMs ?? 5 * 60_000,
    spreadMs: 100,
  });

  /** A look in progress is tracked, so stop() can wait for claims that are landing. */
  function look(force: boolean): Promise<void> {
    const looking = lookOnce(force);
    tracked.add(looking);
    return looking.finally(() => tracked.delete(looking));
  }

  async function lookOnce(force: boolean): Promise<void> {
    if (!running || inFlight.size >= concurrency || (!force && !wake.mayBeDue())) return;
    try {
      const ids = (await store.findDue({ now: now(), limit: (concurrency - inFlight.size) * 2 })).filter(
        (id) => !inFlight.has(id),
      );
      let started = 0;
      while (ids.length > 0 && running && inFlight.size < concurrency) {
        const batch = ids.splice(0, concurrency - inFlight.size);
        const claimed = await Promise.all(batch.map(claim));
        for (const job of claimed) if (job) started += start(job);
      }
      // More may be due than one look could claim.
      if (started > 0 && inFlight.size < concurrency) wake.request(false);
    } catch (err) {
      log.error({ err }, 'looking for due jobs failed');
    }
  }

  async function claim(id: string): Promise<ClaimedJob | null> {
    const leaseToken = `${owner}:${randomUUID()}`;
    return store.claim({ id, owner, leaseToken, now: now(), leaseMs }).catch((err: unknown) => {
      log.error({ err, job_id: id }, 'claiming a job failed');
      return null;
    });
  }

  function start(claimed: ClaimedJob): number {
    const { id, leaseToken } = claimed.job;
    if (!running || inFlight.size >= concurrency || leaseToken === null) {
      // Not started: hand it back at once, as if never claimed.
      const handBack = store
        .settle({
          id,
          leaseToken: leaseToken ?? '',
          change: (job) => handBackPatch({ job, now: now(), unfinished: false }),
        })
        .catch(() => false);
      tracked.add(handBack);
      void handBack.finally(() => tracked.delete(handBack));
      return 0;
    }
    const done = runJob(claimed, runOptions).finally(() => {
      inFlight.delete(id);
      wake.request(false);
    });
    inFlight.set(id, { token: leaseToken, done });
    return 1;
  }

  function watch(): void {
    if (!store.watchHead) return wake.setHead(undefined);
    unwatch = store.watchHead({
      onHead(runAt) {
        head = runAt;
        wake.setHead(runAt);
      },
      onError(err) {
        log.warn({ err }, 'job queue watch failed; polling until it is back');
        head = undefined;
        wake.setHead(undefined);
        setTimeout(() => running && watch(), 30_000).unref();
      },
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      unsubscribe = options.enqueued?.subscribe(() => wake.request(true));
      watch();
      wake.request(true);
    },
    wake: () => wake.request(true),
    head: () => head,
    async stop() {
      if (!running) return { handedBack: 0 };
      running = false;
      wake.stop();
      unwatch?.();
      unsubscribe?.();
      await within(
        Promise.allSettled([...tracked, ...[...inFlight.values()].map((r) => r.done)]),
        options.stopGraceMs ?? 3_000,
      );
      const unfinished = [...inFlight.entries()];
      const leaseTokens = unfinished.map(([, r]) => r.token);
      const handBack = Promise.allSettled(
        unfinished.map(([id, r]) =>
          store.settle({
            id,
            leaseToken: r.token,
            change: (job) => handBackPatch({ job, now: now(), unfinished: true }),
          }),
        ),
      );
      // Post claims and leases in parallel: the job is ours until handed back, so no other run can meet its claims.
      const released = options
        .onHandBack?.({ owner, leaseTokens })
        .catch((err: unknown) => log.error({ err }, 'releasing claims at shutdown failed'));
      const inTime = await within(Promise.all([handBack, released, ...tracked]), options.handBackMs ?? 1_500);
      if (unfinished.length > 0 || !inTime) {
        log.warn({ handed_back: unfinished.length, in_time: inTime }, 'stopped with jobs in flight; handed back');
      }
      return { handedBack: unfinished.length };
    },
  };
}
