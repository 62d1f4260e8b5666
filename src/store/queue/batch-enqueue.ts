import type { DocumentSnapshot, Firestore, Timestamp, Transaction } from '@google-cloud/firestore';
import { createBatchedDocIo, type DocIo, type Write } from '../firestore/doc-io.js';
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
import { mayHaveLanded } from '../firestore/write-race.js';

/** Firestore allows 500 writes per batch; fewer keeps each commit quick. */
const CHUNK = 200;
/** gRPC codes of a batch that lost a race: a job created meanwhile, or changed since it was read. */
const RACE_CODES: ReadonlySet<unknown> = new Set([6, 9, 10]);

const codeOf = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/**
 * Enqueues many jobs with one read (getAll) and one batched write per chunk, each write conditional on the document
 * being as read (created only if absent, updated only if unchanged); a chunk's writes land all or none, in one commit
 * with the turn's other writes (see DocIo.commitAll). A job this process wrote last (it ran it, or
 * enqueued it) is not read: its write is conditional on that version. If another writer got there first the batch
 * fails as a whole and that chunk is read and tried again, then applied job by job in transactions: batched in the
 * common case, correct always. A commit whose answer was lost is looked up (landedLeased) before it is tried again.
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
  /** Where the batches are committed, coalesced with the turn's other writes. */
  io?: DocIo;
}) {
  const { db, reads, transactions, versions } = input;
  const io = input.io ?? createBatchedDocIo(db);
  const gate = input.gate ?? UNGATED;
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  const decode = (snap: DocumentSnapshot): JobState | null => {
    try {
      return toJobState(snap.id, snap.data());
    } catch {
      return null;
    }
  };

  /** A job as its write is decided from: `job` null when absent; `notAJob`: a document that does not decode. */
  type Current = { job: JobState | null; updateTime: Timestamp | undefined; notAJob: boolean };
  /** What a job is taken to be without reading it, or undefined: read it. */
  type Guess = (id: string) => Current | undefined;
  const readAll: Guess = () => undefined;

  /** Each request's job as it is now: as guessed, else read. `guessed`: some were not read. */
  async function currentOf(chunk: JobRequest[], guess: Guess): Promise<{ currents: Current[]; guessed: boolean }> {
    const guesses = chunk.map((r) => guess(r.id));
    const unread = chunk.filter((_, i) => guesses[i] === undefined);
    const snaps = unread.length > 0 ? await gate.run(() => db.getAll(...unread.map((r) => ref(r.id)))) : [];
    reads.add(snaps.length);
    let next = 0;
    const currents = guesses.map((guessed) => {
      if (guessed) return guessed;
      const snap = snaps[next++];
      const job = snap?.exists ? decode(snap) : null;
      return { job, updateTime: snap?.updateTime, notAJob: snap === undefined || (snap.exists && job === null) };
    });
    return { currents, guessed: unread.length < chunk.length };
  }

  /**
   * Another writer got there first; `raced_on_guess` when some of the versions written from were not read;
   * `not_written`: the commit failed without landing (as far as a read tells), to be tried again on fresh reads.
   */
  type BatchOutcome = 'written' | 'raced' | 'raced_on_guess' | 'not_written';

  /**
   * After a commit whose answer was lost: did it land? Its jobs created leased here tell (each lease token is new), and
   * they must not be left leased to this process unknowingly until the lease runs out. The versions are as read.
   */
  async function landedLeased(claimedHere: ClaimedJob[]): Promise<boolean> {
    const first = claimedHere[0];
    if (!first) return false;
    const snaps = await gate.run(() => db.getAll(...claimedHere.map((c) => ref(c.job.id))));
    reads.add(snaps.length);
    if (snaps[0]?.get('lease_token') !== first.job.leaseToken) return false;
    claimedHere.forEach((c, i) => {
      const updateTime = snaps[i]?.updateTime;
      if (updateTime) versions?.wrote({ job: c.job, updateTime, leasedHere: true });
    });
    return true;
  }

  async function inBatch(
    chunk: JobRequest[],
    now: Date,
    claimFor: ClaimAtEnqueue | undefined,
    claimed: ClaimedJob[],
    guess: Guess,
  ): Promise<BatchOutcome> {
    const { currents, guessed } = await currentOf(chunk, guess);
    const raced: BatchOutcome = guessed ? 'raced_on_guess' : 'raced';
    const batch: Write[] = [];
    const written: JobState[] = [];
    const claimedHere: ClaimedJob[] = [];
    for (const [i, request] of chunk.entries()) {
      const { job: current, updateTime, notAJob } = currents[i] ?? { job: null, updateTime: undefined, notAJob: true };
      // A document that is not a job is replaced, in a transaction.
      if (notAJob) return 'raced';
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
        batch.push({ kind: 'create', ref: ref(request.id), data: toJobDoc(job) });
        written.push(job);
      }
      if (write.kind === 'update' && current && updateTime) {
        const taken = takeable ? claimAtEnqueue({ ...current, ...write.patch }, claimFor, now) : null;
        if (taken) claimedHere.push(taken.claimed);
        const patch = { ...write.patch, ...taken?.patch };
        const merged = { ...current, ...patch };
        batch.push({
          kind: 'update',
          ref: ref(request.id),
          data: toPatchData(patch, merged),
          precondition: { lastUpdateTime: updateTime },
        });
        written.push(merged);
      }
    }
    try {
      // With the turn's other writes (a backlog's fan-outs enqueue together): one commit for all of them.
      const results = await io.commitAll(batch);
      // One result per write, in order: each is that document's update time now.
      const takenIds = new Set(claimedHere.map((c) => c.job.id));
      written.forEach((job, i) => {
        const updateTime = results[i]?.writeTime;
        if (updateTime) versions?.wrote({ job, updateTime, leasedHere: takenIds.has(job.id) });
      });
      claimed.push(...claimedHere);
      return 'written';
    } catch (err) {
      if (RACE_CODES.has(codeOf(err))) return raced;
      if (!mayHaveLanded(err)) throw err;
      // A batch is all or nothing: when its leased jobs are there, so is the rest. Without any, a fresh read decides.
      if (!(await landedLeased(claimedHere))) return 'not_written';
      claimed.push(...claimedHere);
      return 'written';
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
    expectNew?: boolean;
  }): Promise<ClaimedJob[]> => {
    const { requests, now, claimFor } = input;
    // This process's own last write of a job, else (for a PR's first event) no job at all.
    const absent: Current = { job: null, updateTime: undefined, notAJob: false };
    const guess: Guess = (id) => {
      const known = versions?.take(id);
      if (known) return { job: known.job, updateTime: known.updateTime, notAJob: false };
      return input.expectNew ? absent : undefined;
    };
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
        // From memory first (this process's own last writes: often no read at all), then as read, then job by job.
        const first = await inBatch(chunk, now, claimFor, claimed, guess);
        if (first === 'written') continue;
        const again = first === 'raced_on_guess' || first === 'not_written';
        if (again && (await inBatch(chunk, now, claimFor, claimed, readAll)) === 'written') continue;
        await Promise.all(chunk.map((r) => inTransaction(r, now)));
      }
      rest = later;
    }
    return claimed;
  };
}
