import type { LogPort } from '../shared/log-port.js';
import { jobRetry, type JobOutcome } from './job-outcome.js';
import type { ClaimedJob, JobStore } from './job-store.js';
import type { JobPatch, JobState } from './job-state.js';
import type { RetryBudget } from './retry-budget.js';
import type { Task } from './task.js';
import { deadPatch, donePatch, failurePatch, heartbeatPatch, LAPSES_MAX, waitPatch } from './transitions.js';

export interface RunJobOptions {
  store: JobStore;
  /** This process: a wait or retry it records is its own to claim first (a head start). */
  owner: string;
  tasks: ReadonlyMap<string, Task>;
  now: () => Date;
  leaseMs: number;
  budget: RetryBudget;
  keepDoneMs: number;
  keepDeadMs: number;
  /** See JobRunnerOptions.runDeadlineMs. */
  runDeadlineMs: number;
  log: LogPort;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * Runs one claimed job: decodes its payload, renews its lease while the handler works (so a slow Slack never lets a
 * second instance run it), and records the outcome. Only the holder of the lease can record anything: a run whose
 * job was handed back or taken over finishes without effect. Resolves to when the job is due again for this process
 * if this run set it to wait or retry (null otherwise), so it claims the job again then, whatever its watch of the
 * queue says.
 */
export async function runJob(claimed: ClaimedJob, options: RunJobOptions): Promise<Date | null> {
  const { store, now, leaseMs } = options;
  const { job } = claimed;
  const leaseToken = job.leaseToken ?? '';
  const log = options.log.child({ job_id: job.id, kind: job.kind, attempt: job.attempts });
  const settle = (change: (current: JobState) => JobPatch) => store.settle({ id: job.id, leaseToken, change });
  // Set once the handler returned: a renewal still queued behind the outcome's write finds the lease ended, as it should.
  let finished = false;
  const heartbeat = setInterval(
    () => {
      settle(() => heartbeatPatch({ now: now(), leaseMs })).then(
        (held) =>
          held || finished || log.warn({}, 'job lease was lost while running; its outcome will not be recorded'),
        (err: unknown) => log.warn({ err }, 'renewing a job lease failed'),
      );
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    const task = options.tasks.get(job.kind);
    const prepared = task
      ? task.prepare(job.payload)
      : { ok: false as const, error: `no handler for job kind ${JSON.stringify(job.kind)}` };
    if (!prepared.ok) {
      log.error({ last_error: prepared.error, payload_keys: Object.keys(job.payload) }, 'job dead: it cannot be run');
      await settle(() => deadPatch({ now: now(), error: prepared.error, keepDeadMs: options.keepDeadMs }));
      return null;
    }
    const about = prepared.about;
    if (job.lapsesInRow >= LAPSES_MAX) {
      const error = `its last ${job.lapsesInRow} runs ended without an outcome (each time the instance running it stopped or stalled): not run again, in case it is the cause`;
      log.error({ ...about, last_error: error }, 'job dead: its runs keep ending without an outcome');
      await settle(() => deadPatch({ now: now(), error, keepDeadMs: options.keepDeadMs }));
      return null;
    }
    let outcome: JobOutcome;
    /** Set when the handler outran its deadline: it may still be going on when the job runs again. */
    let overran = false;
    try {
      const handled = prepared.run({
        id: job.id,
        attempt: job.attempts,
        leaseToken,
        mayOverlapEarlierRun: claimed.mayOverlapEarlierRun,
        version: job.version,
        log: log.child(about),
      });
      outcome = await withDeadline(handled, options.runDeadlineMs, () => {
        overran = true;
        return jobRetry(`its run did not end within ${options.runDeadlineMs / 1000} s`);
      });
    } catch (err) {
      // An unexpected error is a failure like any other: retried within the budget.
      log.warn({ err, ...about }, 'job handler threw');
      outcome = jobRetry(errorText(err));
    }
    finished = true;
    return await record({
      outcome,
      about,
      settle,
      log,
      options,
      version: job.version,
      stillRunning: overran ? leaseToken : null,
    });
  } catch (err) {
    // Firestore unreachable: the lease runs out and the job is claimed again (its next run is told it may overlap).
    log.error({ err }, 'could not record a job outcome; its lease will run out and it will run again');
    return null;
  } finally {
    clearInterval(heartbeat);
  }
}

async function record(input: {
  outcome: JobOutcome;
  about: Record<string, unknown>;
  version: number;
  /** The lease token of a run that may still be going on (it outran its deadline): the next run may overlap it. */
  stillRunning: string | null;
  log: LogPort;
  options: RunJobOptions;
  settle: (change: (current: JobState) => JobPatch) => Promise<boolean>;
}): Promise<Date | null> {
  const { outcome, about, log, options, settle } = input;
  const now = options.now();
  if (outcome.kind === 'done') {
    await settle((job) => donePatch({ job, version: input.version, now, keepDoneMs: options.keepDoneMs }));
    return null;
  }
  if (outcome.kind === 'wait') {
    const held = await settle((job) =>
      waitPatch({ job, owner: options.owner, now, until: outcome.until, reason: outcome.reason }),
    );
    if (held) log.info({ reason: outcome.reason, run_at: outcome.until.toISOString() }, 'job waits');
    return held ? outcome.until : null;
  }
  const decided: { value?: { patch: JobPatch; dead: boolean } } = {};
  const held = await settle((job) => {
    decided.value = failurePatch({
      job,
      owner: options.owner,
      now,
      error: outcome.error,
      notBefore: outcome.notBefore,
      budget: options.budget,
      keepDeadMs: options.keepDeadMs,
    });
    return { ...decided.value.patch, unfinishedRunToken: input.stillRunning };
  });
  if (!held || decided.value === undefined) return null;
  const { patch, dead } = decided.value;
  if (dead) {
    // What was lost, for whoever reads the logs: the job's subject and why it failed.
    log.error(
      { ...about, last_error: outcome.error, failing_since: patch.failingSince?.toISOString() },
      'job dead: retry budget used up',
    );
    return null;
  }
  log.warn(
    { last_error: outcome.error, run_at: patch.headStartAt?.toISOString(), failures_in_row: patch.failuresInRow },
    'job failed, will retry',
  );
  return patch.headStartAt ?? null;
}

/** `work`'s answer, or `late()`'s once `ms` have passed without one (`work` itself goes on: it cannot be stopped). */
function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
