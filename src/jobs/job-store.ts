/**
 * The job queue's storage port (implemented on Firestore in src/store/pipeline/job-store.ts).
 * A job is due when its `run_at` has passed: pending jobs at their next attempt, running jobs when their lease
 * ran out (a crashed or stopped instance), so one single-field range query finds both.
 */
export const JOB_KINDS = ['fanout', 'reconcile'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATUSES = ['pending', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobSpec {
  id: string;
  kind: JobKind;
  payload: Record<string, unknown>;
}

export interface ClaimedJob extends JobSpec {
  /** Attempts including this one. */
  attempts: number;
  /** Bumped by every enqueue: completing an older version leaves the job pending for the newer request. */
  version: number;
}

export interface JobView extends ClaimedJob {
  status: JobStatus;
  runAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  expireAt: Date | null;
}

export interface JobStore {
  /** Ids of due jobs, oldest first. */
  findDue(input: { now: Date; limit: number }): Promise<string[]>;
  /** In a transaction: takes the job if it is still due, with a lease. Null when someone else has it. */
  claim(input: { id: string; owner: string; now: Date; leaseMs: number }): Promise<ClaimedJob | null>;
  /** Done (with `expire_at`), unless enqueued again meanwhile: then pending again at once. */
  complete(input: { id: string; owner: string; version: number; now: Date; keepForMs: number }): Promise<void>;
  /** Pending again at `runAt`, or dead (kept, visible) when attempts are used up. */
  fail(input: { id: string; owner: string; now: Date; error: string; runAt: Date | null; keepForMs: number }): Promise<void>;
  /** Hands the job back (due at once) without counting the attempt, e.g. on shutdown. */
  release(input: { id: string; owner: string; now: Date }): Promise<void>;
  /** Pending again at `runAt` without counting the attempt: the job asked to wait (e.g. for a posting slot). */
  defer(input: { id: string; owner: string; now: Date; runAt: Date }): Promise<void>;
  /** Creates the job, or asks an existing one to run again (coalescing: one document per id). */
  enqueue(input: { jobs: JobSpec[]; now: Date }): Promise<void>;
  get(id: string): Promise<JobView | null>;
}
