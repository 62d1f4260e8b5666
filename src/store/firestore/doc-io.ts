import type {
  DocumentData,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  Precondition,
  WriteResult,
} from '@google-cloud/firestore';
import { createPerTurnLoader } from './per-turn-loader.js';
import { isRefusedForContent, isWriteRace } from './write-race.js';

/** Single-document reads and writes, by reference: see `createBatchedDocIo`. */
export interface DocIo {
  get(ref: DocumentReference): Promise<DocumentSnapshot>;
  /** In the order of `refs`. */
  getAll(refs: readonly DocumentReference[]): Promise<DocumentSnapshot[]>;
  create(ref: DocumentReference, data: DocumentData): Promise<WriteResult>;
  update(ref: DocumentReference, data: DocumentData, precondition?: Precondition): Promise<WriteResult>;
  delete(ref: DocumentReference, precondition?: Precondition): Promise<WriteResult>;
  /**
   * Writes that land together or not at all (as one WriteBatch would), sent with the turn's other writes: one answer
   * per write, in order. At most WRITES_PER_BATCH writes, each document at most once.
   */
  commitAll(writes: readonly Write[]): Promise<WriteResult[]>;
}

/** Documents per batchGet: well under Firestore's request limits, large enough for a fan-out's step in one or two. */
const READS_PER_BATCH = 300;
/** Writes per commit: Firestore's limit is 500. */
const WRITES_PER_BATCH = 400;

export type Write =
  | { kind: 'create'; ref: DocumentReference; data: DocumentData }
  | { kind: 'update'; ref: DocumentReference; data: DocumentData; precondition?: Precondition }
  | { kind: 'delete'; ref: DocumentReference; precondition?: Precondition };

/** Writes that land together or not at all (one write, or a caller's group), with their one answer. */
interface PendingGroup {
  writes: readonly Write[];
  resolve: (results: WriteResult[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Reads and writes coalesced per turn of the event loop. A fan-out's reconcile jobs run in step (they start together
 * and wait on the same round trips), so each of their steps costs one round trip for all of them instead of one each:
 * Firestore (and far more so its emulator) answers one batch of a hundred documents much sooner than a hundred
 * requests.
 *
 * Nothing about a single call changes: a read is the document as it is then (one batchGet for the turn's reads), and
 * each write (or group of writes, `commitAll`) succeeds or fails on its own, with its own preconditions. The turn's
 * writes are committed as one batch (one document at most once per batch); a batch is all or nothing, so when one of
 * its preconditions fails (a race, rare here: the callers hold claims and leases) its writes and groups are sent again
 * each on its own, each getting its own answer.
 */
export function createBatchedDocIo(db: Firestore): DocIo {
  const read = createPerTurnLoader<DocumentReference, DocumentSnapshot>({
    chunk: READS_PER_BATCH,
    load: (refs) => db.getAll(...refs),
    idOf: (ref) => ref.path,
  });
  let writes: PendingGroup[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void sendWrites();
    });
  }

  /**
   * In rounds one after another, so a document's second write (in a later round) lands after its first; the batches of
   * one round (past WRITES_PER_BATCH) have no document in common and go together.
   */
  async function sendWrites(): Promise<void> {
    let rest = writes;
    writes = [];
    while (rest.length > 0) {
      // One write per document per round: a group writing a document an earlier group of the turn writes (in this
      // round, or put off to a later one) waits for the next round.
      const taken = new Set<string>();
      const round: PendingGroup[] = [];
      const later: PendingGroup[] = [];
      for (const g of rest) {
        const waits = g.writes.some((w) => taken.has(w.ref.path));
        g.writes.forEach((w) => taken.add(w.ref.path));
        (waits ? later : round).push(g);
      }
      await Promise.all(bySize(round).map(commit));
      rest = later;
    }
  }

  async function commit(batch: PendingGroup[]): Promise<void> {
    if (batch.length === 1) return commitAlone(batch[0] as PendingGroup);
    try {
      const wb = db.batch();
      for (const g of batch) g.writes.forEach((w) => addTo(wb, w));
      const results = await wb.commit();
      let next = 0;
      for (const g of batch) {
        g.resolve(results.slice(next, next + g.writes.length));
        next += g.writes.length;
      }
    } catch (err) {
      // A batch is all or nothing: when one write lost a race, each write and group is sent again on its own (single
      // writes in one BatchWrite), each getting its own answer; when one was refused for what it holds (invalid data
      // refused before sending: no gRPC code; or INVALID_ARGUMENT from Firestore, e.g. a document over 1 MiB), each is
      // sent alone, so one workspace's bad write never fails another's. Anything else (unavailable, a timeout, an
      // answer lost) is every one's answer.
      if (isWriteRace(err)) await sendEach(batch);
      else if (isRefusedForContent(err)) await Promise.all(batch.map(commitAlone));
      else batch.forEach((g) => g.reject(err));
    }
  }

  /** Each on its own: the single writes in one round trip (see writeEach), each group in a commit of its own. */
  async function sendEach(batch: PendingGroup[]): Promise<void> {
    const singles = batch.filter((g) => g.writes.length === 1);
    await Promise.all([writeEach(singles), ...batch.filter((g) => g.writes.length > 1).map(commitAlone)]);
  }

  /**
   * Each write on its own, in one round trip (Firestore's BatchWrite, through a BulkWriter): one lost race fails only
   * itself, where sending each in a commit of its own would cost a round trip each. Not retried here: the callers
   * decide (a race is decided again on a fresh read).
   */
  async function writeEach(singles: PendingGroup[]): Promise<void> {
    if (singles.length === 0) return;
    const writer = db.bulkWriter({ throttling: false });
    writer.onWriteError(() => false);
    const answered = singles.map(async (g) => {
      try {
        g.resolve([await addTo(writer, g.writes[0] as Write)]);
      } catch (err) {
        g.reject(err);
      }
    });
    await writer.close();
    await Promise.all(answered);
  }

  /** One write or group in a commit of its own (what DocumentReference.create and update send, for one write). */
  async function commitAlone(g: PendingGroup): Promise<void> {
    try {
      const wb = db.batch();
      g.writes.forEach((w) => addTo(wb, w));
      g.resolve(await wb.commit());
    } catch (err) {
      g.reject(err);
    }
  }

  function enqueue(group: readonly Write[]): Promise<WriteResult[]> {
    return new Promise((resolve, reject) => {
      writes.push({ writes: group, resolve, reject });
      schedule();
    });
  }

  const one = async (write: Write) => (await enqueue([write]))[0] as WriteResult;
  return {
    get: read,
    getAll: (refs) => Promise.all(refs.map(read)),
    create: (ref, data) => one({ kind: 'create', ref, data }),
    update: (ref, data, precondition) =>
      one(precondition ? { kind: 'update', ref, data, precondition } : { kind: 'update', ref, data }),
    delete: (ref, precondition) => one(precondition ? { kind: 'delete', ref, precondition } : { kind: 'delete', ref }),
    commitAll: (group) => (group.length === 0 ? Promise.resolve([]) : enqueue(group)),
  };
}

/** Groups in batches of at most WRITES_PER_BATCH writes (a larger group alone), in order. */
function bySize(groups: readonly PendingGroup[]): PendingGroup[][] {
  const batches: PendingGroup[][] = [];
  let batch: PendingGroup[] = [];
  let size = 0;
  for (const g of groups) {
    if (batch.length > 0 && size + g.writes.length > WRITES_PER_BATCH) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(g);
    size += g.writes.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** A WriteBatch (atomic) or a BulkWriter (each write on its own): both take each kind of write the same way. */
interface WriteTarget<T> {
  create(ref: DocumentReference, data: DocumentData): T;
  update(ref: DocumentReference, data: DocumentData, precondition?: Precondition): T;
  delete(ref: DocumentReference, precondition?: Precondition): T;
}

function addTo<T>(target: WriteTarget<T>, write: Write): T {
  if (write.kind === 'create') return target.create(write.ref, write.data);
  if (write.kind === 'delete') return target.delete(write.ref, write.precondition);
  // Without a precondition the SDK's own default applies (the document must exist), as with a plain update.
  return write.precondition
    ? target.update(write.ref, write.data, write.precondition)
    : target.update(write.ref, write.data);
}
