import {
  FieldValue,
  type DocumentData,
  type Firestore,
  type QueryDocumentSnapshot,
  type Timestamp,
} from '@google-cloud/firestore';
import { buildQuery, QUERIES } from '../firestore/queries.js';
import {
  decideAndWrite,
  readKnown,
  writeDecision,
  type ConditionalDocs,
  type Decision,
  type Known,
} from '../firestore/compare-and-set.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { COLLECTIONS } from '../ids.js';
import { UNGATED, type OpGate } from '../../queue/op-gate.js';
import type { ReadCounter, Tally } from '../../queue/read-counter.js';
import type { ClaimedJob, JobStore } from '../../queue/job-store.js';
import type { JobPatch, JobState } from '../../queue/job-state.js';
import { claimOf, isDue } from '../../queue/transitions.js';
import { createBatchEnqueue } from './batch-enqueue.js';
import { watchJobHead } from './head-watch.js';
import { CLAIM_VIEW_FIELDS, toClaimView, toDueJob, toJobState, toPatchData } from './job-docs.js';
import { createJobVersions, rememberJob, type JobVersions, type KnownJob } from './job-versions.js';
import { createKeyedChain } from '../firestore/keyed-chain.js';
import { isWriteRace } from '../firestore/write-race.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';

/**
 * The job queue on Firestore: one document per job (`jobs/{key}`); enqueues are batched; idle instances learn about
 * new work from one snapshot listener.
 *
 * Claims and settlements are single conditional writes, not transactions: a claim updates the job on the condition
 * that the document is still the version the due-jobs query found (which reads only what a claim is decided from; the
 * whole job is read beside the write), or that this process enqueued or settled it as (then no read at all); a run's
 * settlement (and each lease renewal) is conditional on the version its own last write made. A settlement whose
 * condition fails (an enqueue coalesced into the job), or a write whose version is not known here (a claim's answer was
 * lost), is decided again on a fresh read, just as conditionally; only after a few lost rounds does a transaction
 * decide (compare-and-set.ts). So a job's document is (almost) never locked, two instances claiming from the same
 * queue head cost one failed write, and the exactly-once rules are a transaction's (the same document, unchanged since
 * it was read).
 */
export function createFirestoreJobStore(
  db: Firestore,
  options: {
    reads: ReadCounter;
    versions?: JobVersions;
    /** Claims lost to another instance (or to a change since the job was read): the queue's contention. */
    lostClaims?: Tally;
    /** Bounds this store's queries and enqueue reads in flight (the worker's share of the database). */
    gate?: OpGate;
    /** Claims, settlements and single reads, batched with the rest of the worker's in the same turn. */
    io?: DocIo;
  },
): JobStore {
  const { reads } = options;
  const gate = options.gate ?? UNGATED;
  const io = options.io ?? createBatchedDocIo(db);
  const ref = (id: string) => db.collection(COLLECTIONS.jobs).doc(id);
  // One operation at a time per job in this process: concurrent transactions on one document wait on locks for seconds.
  const chain = createKeyedChain();
  const transactions = createTransactionRunner(db, { chain });
  /** Jobs enqueued or settled here, not claimed yet; and jobs whose lease this process holds. */
  const found = options.versions ?? createJobVersions();
  /** Lease tokens whose lease this process ended itself. */
  const ended = new Map<string, true>();
  /** The jobs the last due-jobs query found, as it read them: a claim of one is decided from that version. */
  let lastFound = new Map<string, QueryDocumentSnapshot>();
  const jobDocs: ConditionalDocs<JobDoc> = {
    db,
    io,
    decode: (snap) => decodedOrNotAJob(() => toJobState(snap.id, snap.data())),
    onRead: () => reads.add(1),
  };

  type ClaimInput = Parameters<JobStore['claim']>[0];

  /**
   * A settlement this process wrote. Still running: held for the next renewal. Otherwise the lease ended, and the
   * version is remembered: a wait or retry is claimed again by id in one write from it, a finished job enqueued again
   * without a read.
   */
  function settled(job: JobState, leaseToken: string, updateTime: Timestamp): void {
    const leasedHere = job.status === 'running' && job.leaseToken === leaseToken;
    found.wrote({ job, updateTime, leasedHere });
    if (!leasedHere) rememberJob(ended, leaseToken, true);
  }

  /**
   * A claim of a job the last due-jobs query found: decided from the fields the query read (ClaimView), written on the
   * condition that the job is still the version it read, with the whole job read beside the write (same round trip).
   */
  async function claimFound(input: ClaimInput, snap: QueryDocumentSnapshot): Promise<ClaimedJob | null> {
    const view = decodedOrNotAJob(() => toClaimView(snap.id, snap.data()));
    // Not a job: parked as dead, as any claim parks it.
    if (view instanceof NotAJob) {
      const seen = { value: view, updateTime: snap.updateTime };
      return writeDecision(jobDocs, ref(input.id), seen, claimDecision(input)(view));
    }
    if (!isDue(view, input.now, input.owner)) return null;
    const { patch, earlier } = claimOf(view, input);
    const fullRead = io.get(ref(input.id));
    fullRead.catch(() => undefined); // the write decides first; a failed read is read again below
    const { writeTime: claimedAt } = await io.update(ref(input.id), toPatchData(patch, { ...view, ...patch }), {
      lastUpdateTime: snap.updateTime,
    });
    const read = await fullRead.catch(() => null);
    if (read) reads.add(1);
    const claimedAs = (job: JobState, updateTime: Timestamp): ClaimedJob => {
      found.hold({ job, updateTime, leaseToken: input.leaseToken });
      return { job, ...earlier };
    };
    // The read saw the job just before the claim (the version it was decided from) or just after it.
    const doc = read?.exists ? jobDocs.decode(read) : null;
    if (doc && !(doc instanceof NotAJob) && read?.updateTime) {
      if (read.updateTime.isEqual(snap.updateTime)) return claimedAs({ ...doc, ...patch }, claimedAt);
      if (read.updateTime.isEqual(claimedAt)) return claimedAs(doc, claimedAt);
    }
    // Changed since the claim (an enqueue coalesced into it), the read failed, or the rest is not a job's: the job as
    // it is now, run only while the lease is still this claim's.
    const current = await readKnown(jobDocs, ref(input.id));
    // Parked as dead, as any claim parks a document that is not a job.
    if (current.value instanceof NotAJob) {
      return writeDecision(jobDocs, ref(input.id), current, claimDecision(input)(current.value));
    }
    if (!('updateTime' in current) || current.value.status !== 'running') return null;
    if (current.value.leaseToken !== input.leaseToken) return null;
    return claimedAs(current.value, current.updateTime);
  }

  /** A claim decided on the job as known: null when it is gone, not a job (parked as dead) or not due. */
  function claimDecision(input: ClaimInput) {
    return (current: JobDoc | null): Decision<ClaimedJob | null> => {
      if (!current) return { result: null };
      // Not a job at all: it would head the queue forever. Park it as dead, visible with the reason.
      if (current instanceof NotAJob) return { result: null, write: { data: parkedData(current.reason, input.now) } };
      if (!isDue(current, input.now, input.owner)) return { result: null };
      const { patch, earlier } = claimOf(current, input);
      const claimed = { ...current, ...patch };
      return {
        result: { job: claimed, ...earlier },
        write: {
          data: toPatchData(patch, claimed),
          then: (updateTime) => found.hold({ job: claimed, updateTime, leaseToken: input.leaseToken }),
        },
      };
    };
  }

  /** A run's settlement decided on the job as known: false when the run no longer holds its lease. */
  function settleDecision(input: { leaseToken: string; change: (job: JobState) => JobPatch }) {
    return (current: JobDoc | null): Decision<boolean> => {
      if (!current || current instanceof NotAJob) return { result: false };
      if (current.status !== 'running' || current.leaseToken !== input.leaseToken) return { result: false };
      const patch = input.change(current);
      const merged = { ...current, ...patch };
      return {
        result: true,
        write: {
          data: toPatchData(patch, merged),
          then: (updateTime) => settled(merged, input.leaseToken, updateTime),
        },
      };
    };
  }

  return {
    enqueue: createBatchEnqueue({ db, reads, transactions, versions: found, gate, io }),
    async findDue({ now, limit, after }) {
      const query =
        after === undefined
          ? buildQuery(db, QUERIES.dueJobs, [now], limit)
          : buildQuery(db, QUERIES.dueJobsAfter, [after, now], limit);
      const snap = await gate.run(() => query.select(...CLAIM_VIEW_FIELDS).get());
      reads.addQuery(snap.size);
      // A page behind the head adds to what the head's query found: claims of either are decided from what was read.
      if (after === undefined) lastFound = new Map();
      for (const d of snap.docs) lastFound.set(d.id, d);
      return snap.docs.map((d) => toDueJob(d, now));
    },
    claim(input) {
      return chain(input.id, async () => {
        const remembered = found.take(input.id);
        const queried = lastFound.get(input.id);
        lastFound.delete(input.id);
        try {
          // As this process wrote it, or as the last query found it: one write. Else (remembered but not due as last
          // seen here, or found by an older query) decided on the document as it is now, after one read.
          if (remembered && isDue(remembered.job, input.now, input.owner)) {
            return await writeDecision(
              jobDocs,
              ref(input.id),
              versionOf(remembered),
              claimDecision(input)(remembered.job),
            );
          }
          if (queried && !remembered) return await claimFound(input, queried);
          const current = await readKnown(jobDocs, ref(input.id));
          return await writeDecision(jobDocs, ref(input.id), current, claimDecision(input)(current.value));
        } catch (err) {
          if (!isWriteRace(err)) throw err;
          // Changed since it was read: most often another instance claimed it. No second try here: the runner looks
          // again (at its next poll if it lost most of its claims), and a job still due is then read afresh.
          options.lostClaims?.add(1);
          return null;
        }
      });
    },
    settle({ id, leaseToken, change }) {
      return chain(id, async () => {
        // This process's own write ended that lease (a renewal queued behind the run's outcome): it never holds again.
        if (ended.has(leaseToken)) return false;
        // The version this run's last write made, when it is known here; else (or after a lost race) one read.
        const held = found.takeHeld(id);
        const first = held?.leaseToken === leaseToken ? versionOf(held) : undefined;
        // A lost answer is decided again on a fresh read (left leased, the job would wait out its lease): a settlement
        // that landed ended the lease, and this one then answers false, as for a lease lost.
        return decideAndWrite(jobDocs, ref(id), { first, decide: settleDecision({ leaseToken, change }) });
      });
    },
    async get(id) {
      const snap = await io.get(ref(id));
      reads.add(1);
      return snap.exists ? toJobState(id, snap.data()) : null;
    },
    watchHead: ({ onHead, onError }) => watchJobHead({ db, reads, onHead, onError }),
  };
}

/** A job document as read: a job, or something that does not decode as one. */
type JobDoc = JobState | NotAJob;
class NotAJob {
  constructor(readonly reason: unknown) {}
}

/** A job document (or the part of it a query read) decoded by `decode`, or what does not decode as a job, with the reason. */
function decodedOrNotAJob<T>(decode: () => T): T | NotAJob {
  try {
    return decode();
  } catch (err) {
    return new NotAJob(err);
  }
}

/** A job as this process knows it, as the version a conditional write decides from. */
const versionOf = (known: KnownJob): Known<JobDoc> => ({ value: known.job, updateTime: known.updateTime });

function parkedData(err: unknown, now: Date): DocumentData {
  return {
    status: 'dead',
    run_at: FieldValue.delete(),
    pending_kind: FieldValue.delete(),
    last_error: `not a job document: ${String(err)}`.slice(0, 500),
    updated_at: now,
    finished_at: now,
  };
}
