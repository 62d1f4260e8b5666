import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';
import type { JobRequest } from '../../queue/job-kind.js';
import { newJobState, type JobState } from '../../queue/job-state.js';
import { toJobDoc } from './job-docs.js';
import type { ClaimAtEnqueue, ClaimedJob } from '../../queue/job-store.js';
import { claimAtEnqueue, isDue } from '../../queue/transitions.js';

/**
 * Adds a new `unique` job to a caller's batch (ingress: the delivery and its first job commit together). `create()`
 * makes the whole batch fail with ALREADY_EXISTS when the job exists: for a unique key that is the no-op it asks for.
 * With `claimFor`, the job is created already leased to that runner (`claimed`, to start once the batch is written).
 */
export function createJobInBatch(input: {
  db: Firestore;
  batch: WriteBatch;
  request: JobRequest;
  now: Date;
  claimFor?: ClaimAtEnqueue;
}): { job: JobState; claimed: ClaimedJob | null } {
  const { db, batch, request, now, claimFor } = input;
  if (request.keyMode !== 'unique')
    throw new Error(`only a unique job can be created in a batch (${request.kind} is ${request.keyMode})`);
  const created = newJobState({ ...request, runAt: request.runAt ?? now, now });
  const claimed = claimFor && isDue(created, now) ? claimAtEnqueue(created, claimFor, now).claimed : null;
  const job = claimed?.job ?? created;
  batch.create(db.collection(COLLECTIONS.jobs).doc(request.id), toJobDoc(job));
  return { job, claimed };
}
