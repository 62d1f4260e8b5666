import type { Timestamp } from '@google-cloud/firestore';
import type { JobState } from '../../queue/job-state.js';
import { rememberCapped } from '../../shared/capped-memory.js';

/** A job as this process last read or wrote it, with that version's update time (the precondition of a next write). */
export interface KnownJob {
  job: JobState;
  updateTime: Timestamp;
}

/** Past this many remembered entries the memory is dropped: writes then take the transaction path, which is always right. */
const MAX_KNOWN = 5_000;

/** Remembers `value` under `id` in one of this process's job memories (see rememberCapped). */
export function rememberJob<V>(map: Map<string, V>, id: string, value: V): void {
  rememberCapped(map, id, value, MAX_KNOWN);
}

/** A job whose lease this process holds, as its last write left it. */
export interface HeldJob extends KnownJob {
  leaseToken: string;
}

/**
 * Jobs this process wrote and has not claimed yet: the jobs it enqueued itself (ingress, fan-out) and the runs it
 * settled (a wait, a retry). A claim of one of them is a single write on the condition that it is still that version.
 * And the jobs whose lease it holds (claimed, or created already leased to it): renewed and settled the same way.
 */
export interface JobVersions {
  /** The remembered version, forgotten as it is taken. */
  take(id: string): KnownJob | undefined;
  hold(held: HeldJob): void;
  /** The held version, forgotten as it is taken. */
  takeHeld(id: string): HeldJob | undefined;
  /** A job this process just wrote: held when the write leased it to this process (`leasedHere`), else remembered. */
  wrote(written: KnownJob & { leasedHere: boolean }): void;
}

export function createJobVersions(): JobVersions {
  const known = new Map<string, KnownJob>();
  const held = new Map<string, HeldJob>();
  const takeFrom = <V>(map: Map<string, V>, id: string): V | undefined => {
    const entry = map.get(id);
    map.delete(id);
    return entry;
  };
  const versions: JobVersions = {
    take: (id) => takeFrom(known, id),
    hold: (entry) => rememberJob(held, entry.job.id, entry),
    takeHeld: (id) => takeFrom(held, id),
    wrote({ job, updateTime, leasedHere }) {
      if (leasedHere && job.leaseToken) versions.hold({ job, updateTime, leaseToken: job.leaseToken });
      else rememberJob(known, job.id, { job, updateTime });
    },
  };
  return versions;
}
