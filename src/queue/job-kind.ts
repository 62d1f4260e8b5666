import { shardOf } from './queue-shards.js';

/**
 * A kind of job: a name, and how its payload is written and read back. The payload is decoded once, when a job
 * is claimed; a payload that does not decode makes that job dead with the reason (visible, never blocking others).
 */
export interface JobKind<P> {
  name: string;
  /** Throws (with a message saying what is wrong) when a stored payload does not fit. */
  decode(payload: Record<string, unknown>): P;
  encode(payload: P): Record<string, unknown>;
  /** What the job is about, for logs (e.g. workspace, repo, PR): what is lost if it dies. No secrets. */
  describe(payload: P): Record<string, unknown>;
  /**
   * Jobs with the same shard key are in the same queue shard, so one instance takes them from the queue (see
   * queue-shards.ts); default: the job's key.
   */
  shardKey?(payload: P): string;
  /**
   * Jobs of this kind and one shard an instance runs at once at most (default: the runner's bound per group, a
   * workspace): for work whose results are paced per shard anyway, so running more of it ahead only takes slots.
   */
  inFlightPerShard?: number;
}

export function defineJobKind<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

/**
 * What enqueueing a job with a key that exists already does (after graphile-worker's job keys):
 * - `unique`: the job is created once; enqueueing it again is a no-op (a redelivered fan-out).
 * - `coalesce`: a pending job keeps its place, a running one runs once more after it finishes, a finished or dead
 *   one is pending again (a reconcile: a burst of events becomes few runs, none is missed).
 */
export const KEY_MODES = ['unique', 'coalesce'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

export interface EnqueueOptions {
  /** The job's id: a second enqueue with the same key meets the same job. */
  key: string;
  keyMode: KeyMode;
  /** Not before this time; default now. */
  runAt?: Date;
}

/** A job to enqueue, its payload encoded: what a store writes. */
export interface JobRequest {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  keyMode: KeyMode;
  runAt: Date | null;
  shard: number;
}

export function toJobRequest<P>(kind: JobKind<P>, payload: P, options: EnqueueOptions): JobRequest {
  // Keys become document ids: a slash would name a sub-collection instead.
  if (options.key.length === 0 || options.key.includes('/'))
    throw new Error(`job key ${JSON.stringify(options.key)} is not usable as an id`);
  return {
    id: options.key,
    kind: kind.name,
    payload: kind.encode(payload),
    keyMode: options.keyMode,
    runAt: options.runAt ?? null,
    shard: shardOf(kind.shardKey?.(payload) ?? options.key),
  };
}
