import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';
import type { JobRequest } from '../../queue/job-kind.js';
import { newJobState, type JobState } from '../../queue/job-state.js';
import { toJobDoc } from './job-docs.js';
import type { ClaimAtEnqueue, ClaimedJob } from '../../queue/job-store.js';
import { claimAtEnqueue, isDue } from '../../queue/transitions.js';

/**
 * A new `unique` job for a caller's batch (ingress: the delivery and its first job commit together). `addTo()` uses
 * `create()`, which makes the whole batch fail with ALREADY_EXISTS when the job exists: for a unique key that is the
 * no-op it asks for. It may be added to several batches (a commit tried again), always the same job and lease.
 * With `claimFor`, the job is created already leased to that runner (`claimed`, to start once the batch is written).
 */
export function newJobForBatch(input: { db: Firestore; request: JobRequest; now: Date; claimFor?: ClaimAtEnqueue }): {
  job: JobState;
  claimed: ClaimedJob | null;
  addTo(batch: WriteBatch): void;
} {
  const { db, request, now, claimFor } = input;
  if (request.keyMode !== 'unique')
    throw new Error(`only a unique job can be created in a batch (${request.kind} is ${request.keyMode})`);
  const created = newJobState({ ...request, runAt: request.runAt ?? now, now });
  const claimed = claimFor && isDue(created, now) ? claimAtEnqueue(created, claimFor, now).claimed : null;
  const job = claimed?.job ?? created;
  const ref = db.collection(COLLECTIONS.jobs).doc(request.id);
  const doc = toJobDoc(job);
  return { job, claimed, addTo: (batch) => void batch.create(ref, doc) };
}
