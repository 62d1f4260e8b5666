import type { DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import type { TransactionRunner } from '../firestore/transactions.js';
import { COLLECTIONS } from '../ids.js';
import { toEnqueueWrite } from '../../queue/enqueue-rules.js';
import type { JobRequest } from '../../queue/job-kind.js';
import type { JobState } from '../../queue/job-state.js';
import type { ClaimAtEnqueue, ClaimedJob } from '../../queue/job-store.js';
import { claimAtEnqueue } from '../../queue/transitions.js';
import type { ReadCounter } from '../../queue/read-counter.js';
import { toJobDoc, toJobState, toPatchData } from './job-docs.js';
import type { JobVersions } from './job-versions.js';
import { UNGATED, type OpGate } from '../../queue/op-gate.js';

/** Firestore allows 500 writes per batch; fewer keeps each commit quick. */
const CHUNK = 200;
/** gRPC codes of a batch that lost a race: a job created meanwhile, or changed since it was read. */
const RACE_CODES: ReadonlySet<unknown> = new Set([6, 9, 10]);

const codeOf = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/**
 * Enqueues many jobs with one read (getAll) and one batched write per chunk, each write conditional on the document
 * being as read (created only if absent, updated only if unchanged). If another writer got there first the batch
 * fails as a whole and that chunk is applied job by job in transactions instead: batched in the common case,
 * correct always.
 */
export function createBatchEnqueue(input: {
  db: Firestore;
  reads: ReadCounter;
  transactions: TransactionRunner;
  /**
   * Remembers each job as written: this process claims it with one conditional write, or (created already claimed)
   * renews and settles its lease so.
   */
  versions?: JobVersions;
  gate?: OpGate;
}) {
  const { db, reads, transactions } = input;
  const gate = input.gate ?? UNGATED;
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  const decode = (snap: DocumentSnapshot): JobState | null => {
    try {
      return toJobState(snap.id, snap.data());
    } catch {
      return null;
    }
  };

  async function inBatch(
    chunk: JobRequest[],
    now: Date,
    claimFor: ClaimAtEnqueue | undefined,
    claimed: ClaimedJob[],
    after: Promise<unknown> | undefined,
  ): Promise<boolean> {
    const snaps = await gate.run(() => db.getAll(...chunk.map((r) => ref(r.id))));
    reads.add(snaps.length);
    const batch = db.batch();
    const written: JobState[] = [];
    const claimedHere: ClaimedJob[] = [];
    for (const [i, request] of chunk.entries()) {
      const snap = snaps[i];
      if (!snap) return false;
      const current = snap.exists ? decode(snap) : null;
      // A document that is not a job is replaced, in a transaction.
      if (snap.exists && current === null) return false;
      const write = toEnqueueWrite(current, request, now);
      // A job nobody holds that is due now (new, or finished and made pending again) is taken here, if there is room.
      const takeable =
        claimFor !== undefined &&
        claimed.length + claimedHere.length < claimFor.limit &&
        (request.runAt === null || request.runAt <= now) &&
        (write.kind === 'create' || (current !== null && (current.status === 'done' || current.status === 'dead')));
      if (write.kind === 'create') {
        const taken = takeable ? claimAtEnqueue(write.job, claimFor, now) : null;
        if (taken) claimedHere.push(taken.claimed);
        const job = taken?.claimed.job ?? write.job;
        batch.create(snap.ref, toJobDoc(job));
        written.push(job);
      }
      if (write.kind === 'update' && current && snap.updateTime) {
        const taken = takeable ? claimAtEnqueue({ ...current, ...write.patch }, claimFor, now) : null;
        if (taken) claimedHere.push(taken.claimed);
        const patch = { ...write.patch, ...taken?.patch };
        const merged = { ...current, ...patch };
        batch.update(snap.ref, toPatchData(patch, merged), { lastUpdateTime: snap.updateTime });
        written.push(merged);
      }
    }
    await after;
    try {
      const results = await gate.run(() => batch.commit());
      // One result per write, in order: each is that document's update time now.
      const takenIds = new Set(claimedHere.map((c) => c.job.id));
      written.forEach((job, i) => {
        const updateTime = results[i]?.writeTime;
        if (updateTime) input.versions?.wrote({ job, updateTime, leasedHere: takenIds.has(job.id) });
      });
      claimed.push(...claimedHere);
      return true;
    } catch (err) {
      if (RACE_CODES.has(codeOf(err))) return false;
      throw err;
    }
  }

  function inTransaction(request: JobRequest, now: Date): Promise<void> {
    return transactions.run(request.id, async (tx: Transaction) => {
      const snap = await tx.get(ref(request.id));
      reads.add(1);
      const current = snap.exists ? decode(snap) : null;
      const write = toEnqueueWrite(current, request, now);
      if (write.kind === 'create') tx.set(ref(request.id), toJobDoc(write.job));
      if (write.kind === 'update' && current)
        tx.update(ref(request.id), toPatchData(write.patch, { ...current, ...write.patch }));
    });
  }

  return async (input: {
    requests: JobRequest[];
    now: Date;
    claimFor?: ClaimAtEnqueue;
    after?: Promise<unknown>;
  }): Promise<ClaimedJob[]> => {
    const { requests, now, claimFor, after } = input;
    const claimed: ClaimedJob[] = [];
    // One write per document per batch: a key repeated in one call is applied in a later round.
    let rest = requests;
    while (rest.length > 0) {
      const seen = new Set<string>();
      const round: JobRequest[] = [];
      const later: JobRequest[] = [];
      for (const r of rest) {
        if (seen.has(r.id)) later.push(r);
        else round.push(r);
        seen.add(r.id);
      }
      for (let i = 0; i < round.length; i += CHUNK) {
        const chunk = round.slice(i, i + CHUNK);
        if (await inBatch(chunk, now, claimFor, claimed, after)) continue;
        await after;
        await Promise.all(chunk.map((r) => inTransaction(r, now)));
      }
      rest = later;
    }
    return claimed;
  };
}
