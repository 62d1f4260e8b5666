import type { LogPort } from '../shared/log-port.js';
import type { JobKind } from './job-kind.js';
import type { JobOutcome } from './job-outcome.js';

/** What a handler knows about the run it is in. */
export interface JobRun<P> {
  id: string;
  payload: P;
  /** Attempts counted so far, this run included. */
  attempt: number;
  /** Unique to this run (`owner:leaseId`): claims a run takes (e.g. a post claim) are bound to it. */
  leaseToken: string;
  /**
   * An earlier run of this job may still be in flight or may have done part of its work without recording it (its
   * instance crashed, stalled past its lease, or was stopped mid-run). Any claim it took is known dead now.
   */
  mayOverlapEarlierRun: boolean;
  /**
   * The job's version: 1 for the job as first created, bumped by every enqueue that coalesced into it since. A run of
   * version 1 is of a job no other enqueue reached before it ran.
   */
  version: number;
  log: LogPort;
}

export type JobHandler<P> = (run: JobRun<P>) => Promise<JobOutcome>;

/** A kind with its handler, its payload type erased for the runner's registry. */
export interface Task {
  name: string;
  /** See JobKind.inFlightPerShard. */
  inFlightPerShard?: number;
  /** Decodes the payload once; a payload that does not decode is an error message (the job is made dead). */
  prepare(payload: Record<string, unknown>): PreparedJob | { ok: false; error: string };
}

export interface PreparedJob {
  ok: true;
  /** What the job is about, for logs. */
  about: Record<string, unknown>;
  run(run: Omit<JobRun<unknown>, 'payload'>): Promise<JobOutcome>;
}

export function defineTask<P>(kind: JobKind<P>, handle: JobHandler<P>): Task {
  return {
    name: kind.name,
    ...(kind.inFlightPerShard !== undefined ? { inFlightPerShard: kind.inFlightPerShard } : {}),
    prepare(raw) {
      let payload: P;
      try {
        payload = kind.decode(raw);
      } catch (err) {
        return {
          ok: false,
          error: `payload of a ${kind.name} job does not decode: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
      return { ok: true, about: kind.describe(payload), run: (run) => handle({ ...run, payload }) };
    },
  };
}
