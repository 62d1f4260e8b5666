import { FieldValue, type DocumentData } from '@google-cloud/firestore';
import { readFields, StoreDataError, type FieldReader } from '../firestore/decode.js';
import { COLLECTIONS } from '../ids.js';
import { KEY_MODES, type KeyMode } from '../../queue/job-kind.js';
import { shardOf } from '../../queue/queue-shards.js';
import {
  CLAIM_VIEW_KEYS,
  JOB_STATUSES,
  pendingKindOf,
  type ClaimView,
  type JobPatch,
  type JobState,
} from '../../queue/job-state.js';
import type { DueJob } from '../../queue/job-store.js';

/** The Firestore shape of a job (collection `jobs`), shared by the queue and by ingress (which creates jobs in its batch). */

const FIELDS: ReadonlyArray<readonly [keyof JobPatch, string]> = [
  ['payload', 'payload'],
  ['keyMode', 'key_mode'],
  ['status', 'status'],
  ['runAt', 'run_at'],
  ['version', 'version'],
  ['attempts', 'attempts'],
  ['failuresInRow', 'failures_in_row'],
  ['failingSince', 'failing_since'],
  ['lapsesInRow', 'lapses_in_row'],
  ['lastError', 'last_error'],
  ['waitReason', 'wait_reason'],
  ['leaseOwner', 'lease_owner'],
  ['leaseToken', 'lease_token'],
  ['leaseUntil', 'lease_until'],
  ['headStartOwner', 'head_start_owner'],
  ['headStartAt', 'head_start_at'],
  ['unfinishedRunToken', 'unfinished_run_token'],
  ['updatedAt', 'updated_at'],
  ['finishedAt', 'finished_at'],
  ['expireAt', 'expire_at'],
];

/** Fields only a pending or running job has: absent otherwise, so queries on them skip finished jobs. */
const ABSENT_WHEN_NULL: ReadonlySet<string> = new Set(['run_at', 'expire_at', 'finished_at']);

export function toJobDoc(job: JobState): DocumentData {
  const { id: _id, kind, shard, createdAt, ...rest } = job;
  // A new document: a field that is to be absent is simply not written (delete() is for updates only).
  const data = toPatchData(rest, job, { forCreate: true });
  return { kind, shard, created_at: createdAt, ...data };
}

/** A patch as a Firestore update; `merged` is the job after the patch (for the derived `pending_kind`). */
export function toPatchData(
  patch: JobPatch,
  merged: Parameters<typeof pendingKindOf>[0],
  options: { forCreate?: boolean } = {},
): DocumentData {
  const data: DocumentData = {};
  const absent = (field: string) => {
    if (!options.forCreate) data[field] = FieldValue.delete();
  };
  for (const [key, field] of FIELDS) {
    if (!(key in patch)) continue;
    const value: unknown = patch[key];
    if (value === null && ABSENT_WHEN_NULL.has(field)) absent(field);
    else data[field] = value;
  }
  // Derived for operator counts (one equality filter each): ready, retrying, waiting; absent unless pending.
  const kind = pendingKindOf(merged);
  if (kind === null) absent('pending_kind');
  else data['pending_kind'] = kind;
  return data;
}

/** A job document read back; older jobs (before the time budget) lack the newer fields and get their defaults. */
export function toJobState(id: string, data: unknown): JobState {
  const f = readFields(`${COLLECTIONS.jobs}/${id}`, data);
  const keyMode = f.stringOrNull('key_mode');
  return {
    ...claimViewOf(id, f),
    payload: f.map('payload'),
    keyMode: KEY_MODES.find((m): m is KeyMode => m === keyMode) ?? 'coalesce',
    version: f.integer('version'),
    failingSince: f.dateOrNull('failing_since'),
    lastError: f.stringOrNull('last_error'),
    leaseOwner: f.stringOrNull('lease_owner'),
    createdAt: f.dateOrNull('created_at'),
    updatedAt: f.dateOrNull('updated_at'),
    finishedAt: f.dateOrNull('finished_at'),
    expireAt: f.dateOrNull('expire_at'),
  };
}

/** Jobs written before shards existed: in the shard of their id. */
const storedShard = (f: FieldReader, id: string) => f.numberOrNull('shard') ?? shardOf(id);

function claimViewOf(id: string, f: FieldReader): ClaimView {
  return {
    id,
    kind: f.string('kind'),
    shard: storedShard(f, id),
    status: f.oneOf('status', JOB_STATUSES),
    runAt: f.dateOrNull('run_at'),
    attempts: f.integer('attempts'),
    failuresInRow: f.numberOrNull('failures_in_row') ?? 0,
    lapsesInRow: f.numberOrNull('lapses_in_row') ?? 0,
    waitReason: f.stringOrNull('wait_reason'),
    leaseToken: f.stringOrNull('lease_token'),
    leaseUntil: f.dateOrNull('lease_until'),
    headStartOwner: f.stringOrNull('head_start_owner'),
    headStartAt: f.dateOrNull('head_start_at'),
    unfinishedRunToken: f.stringOrNull('unfinished_run_token'),
  };
}

const CLAIM_VIEW_KEY_SET: ReadonlySet<string> = new Set(CLAIM_VIEW_KEYS);
/**
 * The fields a due-jobs query reads: those a claim is decided from (ClaimView), a small part of a job's bytes. Enough
 * to pick the jobs to claim and to write a claim in one conditional write; the rest of the job is read beside it, for
 * the jobs claimed only, so an instance does not decode what it leaves to others.
 */
export const CLAIM_VIEW_FIELDS = [
  'kind',
  'shard',
  ...FIELDS.filter(([key]) => CLAIM_VIEW_KEY_SET.has(key)).map(([, field]) => field),
];

/** A job as a due-jobs query read it (CLAIM_VIEW_FIELDS). */
export function toClaimView(id: string, data: DocumentData): ClaimView {
  return claimViewOf(id, readFields(`${COLLECTIONS.jobs}/${id}`, data));
}

/**
 * A due job as the query found it, from the fields picking needs (the rest is decoded only for the jobs claimed); kind
 * null: not a job (any instance may claim it, which parks it).
 */
export function toDueJob(snap: { id: string; get(field: string): unknown }, now: Date): DueJob {
  const { id } = snap;
  try {
    const f = readFields(`${COLLECTIONS.jobs}/${id}`, {
      kind: snap.get('kind'),
      shard: snap.get('shard'),
      run_at: snap.get('run_at'),
    });
    return {
      id,
      kind: f.string('kind'),
      shard: storedShard(f, id),
      dueAt: f.dateOrNull('run_at') ?? now,
    };
  } catch (err) {
    if (!(err instanceof StoreDataError)) throw err;
    return { id, kind: null, shard: shardOf(id), dueAt: new Date(0) };
  }
}
