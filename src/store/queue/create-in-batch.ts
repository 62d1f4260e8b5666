import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';
import type { JobRequest } from '../../queue/job-kind.js';
import { newJobState, type JobState } from '../../queue/job-state.js';
import { toJobDoc } from './job-docs.js';

/**
 * Adds a new `unique` job to a caller's batch (ingress: the delivery and its first job commit together). `create()`
 * makes the whole batch fail with ALREADY_EXISTS when the job exists: for a unique key that is the no-op it asks for.
 */
export function createJobInBatch(input: {
  db: Firestore;
  batch: WriteBatch;
  request: JobRequest;
  now: Date;
}): JobState {
  const { db, batch, request, now } = input;
  if (request.keyMode !== 'unique')
    throw new Error(`only a unique job can be created in a batch (${request.kind} is ${request.keyMode})`);
  const job = newJobState({ ...request, runAt: request.runAt ?? now, now });
  batch.create(db.collection(COLLECTIONS.jobs).doc(request.id), toJobDoc(job));
  return job;
}
