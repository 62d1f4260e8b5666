import type { Timestamp } from '@google-cloud/firestore';
import type { JobState } from '../../queue/job-state.js';

/** A job as this process last read or wrote it, with that version's update time (the precondition of a next write). */
export interface KnownJob {
  job: JobState;
  updateTime: Timestamp;
}

/** Past this many remembered entries the memory is dropped: writes then take the transaction path, which is always right. */
const MAX_KNOWN = 5_000;

/** Remembers `value` under `id`, first forgetting everything once the map holds MAX_KNOWN entries. */
export function rememberCapped<V>(map: Map<string, V>, id: string, value: V): void {
  if (map.size >= MAX_KNOWN) map.clear();
  map.set(id, value);
}

/** A job whose lease this process holds, as its last write left it. */
export interface HeldJob extends KnownJob {
  leaseToken: string;
}

/**
 * Jobs this process saw or wrote and has not claimed yet: the due-jobs query's answers, and the jobs it enqueued
 * itself (ingress, fan-out). A claim of one of them is a single write on the condition that it is still that version.
 * And the jobs whose lease it holds (claimed, or created already leased to it): renewed and settled the same way.
 */
export interface JobVersions {
  remember(known: KnownJob): void;
  /** The remembered version, forgotten as it is taken. */
  take(id: string): KnownJob | undefined;
  hold(held: HeldJob): void;
  /** The held version, forgotten as it is taken. */
  takeHeld(id: string): HeldJob | undefined;
}

export function createJobVersions(): JobVersions {
  const known = new Map<string, KnownJob>();
  const held = new Map<string, HeldJob>();
  const takeFrom = <V>(map: Map<string, V>, id: string): V | undefined => {
    const entry = map.get(id);
    map.delete(id);
    return entry;
  };
  return {
    remember: (entry) => rememberCapped(known, entry.job.id, entry),
    take: (id) => takeFrom(known, id),
    hold: (entry) => rememberCapped(held, entry.job.id, entry),
    takeHeld: (id) => takeFrom(held, id),
  };
}
