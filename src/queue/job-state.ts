import type { KeyMode } from './job-kind.js';

export const JOB_STATUSES = ['pending', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * One job as the queue sees it, whatever stores it. A job is due when `runAt` has passed: a pending job at its
 * (next) run, a running one when its lease ran out. Done and dead jobs have no `runAt`.
 */
export interface JobState {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  keyMode: KeyMode;
  /** The queue shard (queue-shards.ts): which instance takes the job from the queue, while it lives. */
  shard: number;
  status: JobStatus;
  runAt: Date | null;
  /** Bumped by every coalescing enqueue: finishing an older version leaves the job pending for the newer one. */
  version: number;
  /** Runs counted as attempts (waits and hand-backs are not). */
  attempts: number;
  /** Failures since the last success or new version; drives the backoff. */
  failuresInRow: number;
  /** The first of those failures: the retry budget is counted from here. */
  failingSince: Date | null;
  /**
   * Runs in a row that ended without an outcome: each lost its lease while running (its instance crashed or stalled,
   * perhaps because of this very job). A recorded outcome (done, failed, waiting, handed back) starts over at 0.
   */
  lapsesInRow: number;
  lastError: string | null;
  /** Why a pending job waits (Slack rate limit, posting slot, post claim), for operators. */
  waitReason: string | null;
  leaseOwner: string | null;
  /** The running run's token (`owner:leaseId`), unique per claim. */
  leaseToken: string | null;
  leaseUntil: Date | null;
  /**
   * A pending job set to wait or retry by an instance that will claim it itself: that instance may from
   * `headStartAt`, every other from `runAt` (see HEAD_START_MS in transitions.ts).
   */
  headStartOwner: string | null;
  headStartAt: Date | null;
  /** The token of a run handed back while still running (at shutdown): the next run may overlap it. */
  unfinishedRunToken: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  finishedAt: Date | null;
  expireAt: Date | null;
}

/**
 * What a claim is decided from (due or not, the claim's patch, the earlier run it may overlap) and what its write
 * derives: a due-jobs query reads only these, and the rest of a job is read for the jobs claimed.
 */
export const CLAIM_VIEW_KEYS = [
  'id',
  'kind',
  'shard',
  'status',
  'runAt',
  'attempts',
  'failuresInRow',
  'lapsesInRow',
  'waitReason',
  'leaseToken',
  'leaseUntil',
  'headStartOwner',
  'headStartAt',
  'unfinishedRunToken',
] as const satisfies ReadonlyArray<keyof JobState>;
export type ClaimView = Pick<JobState, (typeof CLAIM_VIEW_KEYS)[number]>;

/** A change to a job; `null` clears a field. */
export type JobPatch = Partial<Omit<JobState, 'id' | 'kind' | 'shard' | 'createdAt'>>;

export function newJobState(input: {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  keyMode: KeyMode;
  shard: number;
  runAt: Date;
  now: Date;
}): JobState {
  return {
    id: input.id,
    kind: input.kind,
    payload: input.payload,
    keyMode: input.keyMode,
    shard: input.shard,
    version: 1,
    unfinishedRunToken: null,
    createdAt: input.now,
    updatedAt: input.now,
    ...toPendingAgain(input.runAt),
  };
}

/** A job pending with no run behind it: new, or a finished or dead one made pending again (an enqueue, a retry). */
export function toPendingAgain(runAt: Date) {
  return {
    status: 'pending' as const,
    runAt,
    attempts: 0,
    failuresInRow: 0,
    failingSince: null,
    lapsesInRow: 0,
    lastError: null,
    waitReason: null,
    leaseOwner: null,
    leaseToken: null,
    leaseUntil: null,
    headStartOwner: null,
    headStartAt: null,
    finishedAt: null,
    expireAt: null,
  } satisfies JobPatch;
}

/** How a pending job stands, for operator counts: ready to run, backing off after a failure, or waiting. */
export type PendingKind = 'ready' | 'retry' | 'wait';

export function pendingKindOf(job: Pick<JobState, 'status' | 'waitReason' | 'failuresInRow'>): PendingKind | null {
  if (job.status !== 'pending') return null;
  if (job.waitReason !== null) return 'wait';
  return job.failuresInRow > 0 ? 'retry' : 'ready';
}
