import { toPendingAgain, type ClaimView, type JobPatch, type JobState } from './job-state.js';
import type { ClaimAtEnqueue, ClaimedJob } from './job-store.js';
import { decideAfterFailure, type RetryBudget } from './retry-budget.js';

/** The lifecycle of a job as pure changes, for any store: claim, heartbeat, and how a run ends. */

/**
 * How much sooner the instance that set a job to wait or retry may claim it than any other. It claims the job by id at
 * the time asked for; the others see it due only this much later, if that instance did not (it stopped or crashed).
 * So instances do not race for a job one of them is about to take anyway.
 */
export const HEAD_START_MS = 2_000;

/**
 * A job claimed after this many runs in a row lost their lease without an outcome is made dead instead of run: a job
 * that crashes the process running it would otherwise take down one instance after another, for ever.
 */
export const LAPSES_MAX = 3;

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
const noHeadStart: JobPatch = { headStartOwner: null, headStartAt: null };
const noLease: JobPatch = { leaseOwner: null, leaseToken: null, leaseUntil: null, ...noHeadStart };

/**
 * Pending jobs whose time came, and running jobs whose lease ran out (their instance crashed or stalled). For the
 * `claimant` that set it to wait, a pending job is due from the start of its head start.
 */
export function isDue(job: ClaimView, now: Date, claimant?: string): boolean {
  if (job.status === 'pending') {
    const mine = claimant !== undefined && job.headStartOwner === claimant;
    const from = mine ? (job.headStartAt ?? job.runAt) : job.runAt;
    return from !== null && from <= now;
  }
  return job.status === 'running' && (job.leaseUntil === null || job.leaseUntil <= now);
}

/** Pending again from `at` for `owner`, a head start before every other instance. */
function pendingFor(owner: string, at: Date): JobPatch {
  return { status: 'pending', runAt: later(at, HEAD_START_MS), headStartOwner: owner, headStartAt: at };
}

/**
 * The token of a run that may still be going on when this claim starts a new one: a running job whose lease ran
 * out, or a run handed back unfinished at shutdown. Null when every earlier run ended cleanly.
 */
function earlierRunOf(job: ClaimView): EarlierRun {
  if (job.status === 'running') return { earlierRunToken: job.leaseToken, mayOverlapEarlierRun: true };
  return { earlierRunToken: job.unfinishedRunToken, mayOverlapEarlierRun: job.unfinishedRunToken !== null };
}

type EarlierRun = Omit<ClaimedJob, 'job'>;

/**
 * A claim of a due job, decided from what a claim needs of it (ClaimView): the patch that leases it to `owner`, and
 * the earlier run the new one may overlap. The claimed job is the job with the patch.
 */
export function claimOf(
  job: ClaimView,
  input: { owner: string; leaseToken: string; now: Date; leaseMs: number },
): { patch: JobPatch; earlier: EarlierRun } {
  return { patch: claimPatch({ ...input, job }), earlier: earlierRunOf(job) };
}

/** The job as a claim at enqueue leaves it: leased to the taking runner (the patch, and the job to start). */
export function claimAtEnqueue(
  job: JobState,
  claimFor: ClaimAtEnqueue,
  now: Date,
): { patch: JobPatch; claimed: ClaimedJob } {
  const { owner, leaseMs } = claimFor;
  const { patch, earlier } = claimOf(job, { owner, leaseToken: claimFor.leaseToken(), now, leaseMs });
  return { patch, claimed: { job: { ...job, ...patch }, ...earlier } };
}

function claimPatch(input: {
  owner: string;
  leaseToken: string;
  now: Date;
  leaseMs: number;
  job: ClaimView;
}): JobPatch {
  const until = later(input.now, input.leaseMs);
  return {
    status: 'running',
    attempts: input.job.attempts + 1,
    // Claimed while still running: the run before lost its lease without an outcome.
    lapsesInRow: input.job.status === 'running' ? input.job.lapsesInRow + 1 : input.job.lapsesInRow,
    leaseOwner: input.owner,
    leaseToken: input.leaseToken,
    leaseUntil: until,
    runAt: until,
    waitReason: null,
    updatedAt: input.now,
    ...noHeadStart,
  };
}

export function heartbeatPatch(input: { now: Date; leaseMs: number }): JobPatch {
  const until = later(input.now, input.leaseMs);
  return { leaseUntil: until, runAt: until, updatedAt: input.now };
}

/** Done, unless enqueued again while it ran: then pending again at once for the newer version. */
export function donePatch(input: { job: JobState; version: number; now: Date; keepDoneMs: number }): JobPatch {
  const { job, now } = input;
  const clean: JobPatch = { ...noLease, unfinishedRunToken: null, lapsesInRow: 0, updatedAt: now };
  if (job.version !== input.version) return { ...clean, ...toPendingAgain(now) };
  return {
    ...clean,
    status: 'done',
    runAt: null,
    failuresInRow: 0,
    failingSince: null,
    lastError: null,
    waitReason: null,
    finishedAt: now,
    expireAt: later(now, input.keepDoneMs),
  };
}

/** Retried with backoff within the budget, else dead (kept, visible, with the error). */
export function failurePatch(input: {
  job: JobState;
  /** The instance recording the failure: it claims the retry itself, with a head start. */
  owner: string;
  now: Date;
  error: string;
  notBefore: Date | null;
  budget: RetryBudget;
  keepDeadMs: number;
  random?: () => number;
}): { patch: JobPatch; dead: boolean } {
  const { job, now, error } = input;
  const failingSince = job.failingSince ?? now;
  const failuresInRow = job.failuresInRow + 1;
  const decision = decideAfterFailure({
    budget: input.budget,
    failingSince,
    failuresInRow,
    now,
    notBefore: input.notBefore,
    ...(input.random ? { random: input.random } : {}),
  });
  const common: JobPatch = {
    ...noLease,
    unfinishedRunToken: null,
    lapsesInRow: 0,
    lastError: error,
    failingSince,
    failuresInRow,
    waitReason: null,
    updatedAt: now,
  };
  if (decision.kind === 'dead')
    return { dead: true, patch: { ...common, ...deadPatch({ now, error, keepDeadMs: input.keepDeadMs }) } };
  return { dead: false, patch: { ...common, ...pendingFor(input.owner, decision.runAt) } };
}

export function deadPatch(input: { now: Date; error: string; keepDeadMs: number }): JobPatch {
  return {
    ...noLease,
    status: 'dead',
    runAt: null,
    lastError: input.error,
    waitReason: null,
    updatedAt: input.now,
    finishedAt: input.now,
    expireAt: later(input.now, input.keepDeadMs),
  };
}

/**
 * Pending again at `until` for `owner` (the instance recording the wait), a head start before the others; not an
 * attempt, and nothing of the retry budget is spent.
 */
export function waitPatch(input: { job: JobState; owner: string; now: Date; until: Date; reason: string }): JobPatch {
  return {
    ...noLease,
    unfinishedRunToken: null,
    lapsesInRow: 0,
    ...pendingFor(input.owner, input.until),
    waitReason: input.reason,
    attempts: Math.max(0, input.job.attempts - 1),
    updatedAt: input.now,
  };
}

/**
 * Due again at once, not counted as an attempt (shutdown, or claimed while stopping). `unfinished`: its handler is
 * still running, so the next run is told it may overlap this one.
 */
export function handBackPatch(input: { job: JobState; now: Date; unfinished: boolean }): JobPatch {
  const { job, now } = input;
  return {
    ...noLease,
    status: 'pending',
    runAt: now,
    attempts: Math.max(0, job.attempts - 1),
    lapsesInRow: 0,
    updatedAt: now,
    unfinishedRunToken: input.unfinished ? job.leaseToken : job.unfinishedRunToken,
  };
}
