import type { JobRequest } from './job-kind.js';
import type { JobPatch, JobState } from './job-state.js';

/**
 * The queue's storage port: everything the runner and the operator commands need from an engine. The Firestore
 * adapter is in ./firestore; another engine (Cloud Tasks, Pub/Sub, an in-memory fake) is one more adapter.
 * The lifecycle rules themselves are pure (./transitions.ts, ./enqueue-rules.ts) and shared by every adapter.
 */
export interface ClaimedJob {
  job: JobState;
  /** See earlierRunOf in transitions.ts. */
  earlierRunToken: string | null;
  mayOverlapEarlierRun: boolean;
}

/**
 * A runner of this process taking jobs as they are created (up to `limit`): a job created for a request due now is
 * written already leased to `owner`, so it costs no claim of its own.
 */
export interface ClaimAtEnqueue {
  owner: string;
  leaseMs: number;
  limit: number;
  leaseToken(): string;
}

/** A due job as a query finds it: enough to choose which to claim. */
export interface DueJob {
  id: string;
  /** Null: the document is not a job at all. */
  kind: string | null;
  shard: number;
  /** Since when it is due (for any instance). */
  dueAt: Date;
}

export interface JobStore {
  /**
   * Applies the coalescing rules to each request; batched where the engine allows. Returns the jobs it created already
   * claimed for `claimFor` (none without it).
   */
  enqueue(input: {
    requests: JobRequest[];
    now: Date;
    claimFor?: ClaimAtEnqueue;
    /**
     * The jobs are most likely new (a PR's first event): created without reading them first. One that exists after
     * all makes the write fail, and the jobs are then read and written as usual.
     */
    expectNew?: boolean;
  }): Promise<ClaimedJob[]>;
  /**
   * Due jobs, the most overdue first. `after`: only those due since after that time (a page further into the queue;
   * what it finds adds to what the head's query found).
   */
  findDue(input: { now: Date; limit: number; after?: Date }): Promise<DueJob[]>;
  /**
   * Atomically: takes the job if it is still due, under `leaseToken`. Null when it is not due (someone else has it).
   * A document that is not a job at all is parked as dead there and then, with the reason.
   */
  claim(input: {
    id: string;
    owner: string;
    leaseToken: string;
    now: Date;
    leaseMs: number;
  }): Promise<ClaimedJob | null>;
  /**
   * Atomically: applies `change` to the job if `leaseToken` still holds its lease (else nothing: the lease moved on,
   * e.g. it ran out and another instance took the job). False when it did not hold.
   */
  settle(input: { id: string; leaseToken: string; change: (job: JobState) => JobPatch }): Promise<boolean>;
  get(id: string): Promise<JobState | null>;
  /**
   * Calls `onHead` with the earliest `runAt` of all jobs (null when no job is pending or running) now and on every
   * change, so a worker sleeps until then instead of polling. Optional: without it the runner polls.
   */
  watchHead?(input: { onHead: (runAt: Date | null) => void; onError: (err: unknown) => void }): () => void;
}

/** Counts by state for operators (`npm run jobs -- status`) and the health line. */
export interface QueueCounts {
  /** Pending and due now (including running jobs whose lease ran out). */
  due: number;
  /** Pending, backing off after a failure. */
  retrying: number;
  /** Pending, waiting (not a failure), by reason: Slack rate limit, posting slot, post claim. */
  waiting: Record<string, number>;
  running: number;
  dead: number;
  /** How long the most overdue job has been due; 0 when none is. */
  oldestDueMs: number;
}

export interface DeadJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  lastError: string | null;
  finishedAt: Date | null;
  attempts: number;
}

/** Operator tooling on the same engine. */
export interface JobAdminStore {
  counts(now: Date): Promise<QueueCounts>;
  /** The health line's few numbers: jobs pending and running, and how long the most overdue one has been due. */
  depth(now: Date): Promise<{ pending: number; running: number; oldestDueMs: number }>;
  listDead(limit: number): Promise<DeadJob[]>;
  deadIds(): Promise<string[]>;
  /** A dead job pending again at once with a fresh budget; false when it is not dead (or gone). */
  retryDead(input: { id: string; now: Date }): Promise<boolean>;
  /** Deletes a dead job; false when it is not dead (or gone). */
  dropDead(id: string): Promise<boolean>;
}
