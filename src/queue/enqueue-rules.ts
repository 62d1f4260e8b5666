import type { JobRequest } from './job-kind.js';
import { newJobState, toPendingAgain, type JobPatch, type JobState } from './job-state.js';

/** What an enqueue does to the job with its key: create it, change it, or nothing (see KeyMode). */
export type EnqueueWrite = { kind: 'create'; job: JobState } | { kind: 'update'; patch: JobPatch } | { kind: 'none' };

/** The coalescing rules, for any store: `current` is the job with the request's key, or null. */
export function toEnqueueWrite(current: JobState | null, request: JobRequest, now: Date): EnqueueWrite {
  const runAt = request.runAt ?? now;
  if (current === null) return { kind: 'create', job: newJobState({ ...request, runAt, now }) };
  if (request.keyMode === 'unique') return { kind: 'none' };
  // A new version starts the retry budget over: it is new information, and may well succeed where the old failed.
  const bump: JobPatch = {
    version: current.version + 1,
    payload: request.payload,
    failuresInRow: 0,
    failingSince: null,
    updatedAt: now,
  };
  // Pending keeps its place (also a job waiting on a rate limit); running runs once more when it finishes.
  if (current.status === 'pending' || current.status === 'running') return { kind: 'update', patch: bump };
  return { kind: 'update', patch: { ...bump, ...toPendingAgain(runAt) } };
}
