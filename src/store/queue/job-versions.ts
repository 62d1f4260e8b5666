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

/**
 * Jobs this process saw or wrote and has not claimed yet: the due-jobs query's answers, and the jobs it enqueued
 * itself (ingress, fan-out). A claim of one of them is a single write on the condition that it is still that version.
 */
export interface JobVersions {
  remember(known: KnownJob): void;
  /** The remembered version, forgotten as it is taken. */
  take(id: string): KnownJob | undefined;
}

export function createJobVersions(): JobVersions {
  const known = new Map<string, KnownJob>();
  return {
    remember: (entry) => rememberCapped(known, entry.job.id, entry),
    take(id) {
      const entry = known.get(id);
      known.delete(id);
      return entry;
    },
  };
}
