import type { DocumentData } from '@google-cloud/firestore';
import { JOB_KINDS, JOB_STATUSES, type JobSpec, type JobStatus, type JobView } from '../../jobs/job-store.js';
import { readFields } from '../firestore/decode.js';
import { COLLECTIONS } from '../ids.js';

/** The Firestore shape of a job, shared by the queue and by ingress (which creates jobs in its batch). */
export function toNewJobData(job: JobSpec, now: Date): DocumentData {
  return {
    kind: job.kind,
    payload: job.payload,
    status: 'pending' satisfies JobStatus,
    attempts: 0,
    version: 1,
    run_at: now,
    lease_until: null,
    lease_owner: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

export function toJobView(id: string, data: unknown): JobView {
  const f = readFields(`${COLLECTIONS.jobs}/${id}`, data);
  return {
    id,
    kind: f.oneOf('kind', JOB_KINDS),
    status: f.oneOf('status', JOB_STATUSES),
    payload: f.map('payload'),
    attempts: f.integer('attempts'),
    version: f.integer('version'),
    runAt: f.dateOrNull('run_at'),
    leaseOwner: f.stringOrNull('lease_owner'),
    leaseUntil: f.dateOrNull('lease_until'),
    lastError: f.stringOrNull('last_error'),
    expireAt: f.dateOrNull('expire_at'),
  };
}
