import { Timestamp, type DocumentData } from '@google-cloud/firestore';
import type { JobKind, JobSpec, JobStatus, JobView } from '../../jobs/job-store.js';

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

const KINDS: readonly string[] = ['fanout', 'reconcile'];
const STATUSES: readonly string[] = ['pending', 'running', 'done', 'dead'];

export function toJobView(id: string, data: DocumentData | undefined): JobView {
  const fail = (field: string): never => {
    throw new Error(`Malformed job ${id}: field ${field}`);
  };
  if (!data) return fail('(document)');
  const kind = KINDS.includes(data['kind']) ? (data['kind'] as JobKind) : fail('kind');
  const status = STATUSES.includes(data['status']) ? (data['status'] as JobStatus) : fail('status');
  const payload = isPlainMap(data['payload']) ? data['payload'] : fail('payload');
  const attempts = Number.isSafeInteger(data['attempts']) ? (data['attempts'] as number) : fail('attempts');
  const version = Number.isSafeInteger(data['version']) ? (data['version'] as number) : fail('version');
  return {
    id, kind, status, payload, attempts, version,
    runAt: optionalDate(data['run_at'], () => fail('run_at')),
    leaseOwner: typeof data['lease_owner'] === 'string' ? data['lease_owner'] : null,
    lastError: typeof data['last_error'] === 'string' ? data['last_error'] : null,
    expireAt: optionalDate(data['expire_at'], () => fail('expire_at')),
  };
}

export function leaseUntil(data: DocumentData): Date | null {
  return data['lease_until'] instanceof Timestamp ? data['lease_until'].toDate() : null;
}

function optionalDate(v: unknown, fail: () => never): Date | null {
  if (v === undefined || v === null) return null;
  return v instanceof Timestamp ? v.toDate() : fail();
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Timestamp);
}
