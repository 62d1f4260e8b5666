import type {
  DocumentData,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  Precondition,
  WriteResult,
} from '@google-cloud/firestore';
import { isWriteRace } from './write-race.js';
import { toRecord } from '../../shared/json-reader.js';

/** Single-document reads and writes, by reference: see `createBatchedDocIo`. */
export interface DocIo {
  get(ref: DocumentReference): Promise<DocumentSnapshot>;
  /** In the order of `refs`. */
  getAll(refs: readonly DocumentReference[]): Promise<DocumentSnapshot[]>;
  create(ref: DocumentReference, data: DocumentData): Promise<WriteResult>;
  update(ref: DocumentReference, data: DocumentData, precondition?: Precondition): Promise<WriteResult>;
}

/** Documents per batchGet: well under Firestore's request limits, large enough for a fan-out's step in one or two. */
const READS_PER_BATCH = 300;
/** Writes per commit: Firestore's limit is 500. */
const WRITES_PER_BATCH = 400;

type Write =
  | { kind: 'create'; ref: DocumentReference; data: DocumentData }
  | { kind: 'update'; ref: DocumentReference; data: DocumentData; precondition?: Precondition };

interface PendingWrite {
  write: Write;
  resolve: (result: WriteResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Reads and writes coalesced per turn of the event loop. A fan-out's reconcile jobs run in step (they start together
 * and wait on the same round trips), so each of their steps costs one round trip for all of them instead of one each:
 * Firestore (and far more so its emulator) answers one batch of a hundred documents much sooner than a hundred
 * requests.
 *
 * Nothing about a single call changes: a read is the document as it is then (one batchGet for the turn's reads), and
 * each write succeeds or fails on its own, with its own precondition. The turn's writes are committed as one batch
 * (one document at most once per batch); a batch is all or nothing, so when one of its preconditions fails (a race,
 * rare here: the callers hold claims and leases) its writes are sent again one by one, each getting its own answer.
 */
export function createBatchedDocIo(db: Firestore): DocIo {
  type Result = { snap: DocumentSnapshot } | { err: unknown };
  let reads = new Map<string, { ref: DocumentReference; waiters: Array<(r: Result) => void> }>();
  let writes: PendingWrite[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      sendReads();
      void sendWrites();
    });
  }

  function sendReads(): void {
    const batch = [...reads.values()];
    reads = new Map();
    for (let i = 0; i < batch.length; i += READS_PER_BATCH) {
      const chunk = batch.slice(i, i + READS_PER_BATCH);
      const settle = (c: (typeof chunk)[number], r: Result) => c.waiters.forEach((w) => w(r));
      void db.getAll(...chunk.map((c) => c.ref)).then(
        (snaps) => chunk.forEach((c, k) => settle(c, { snap: snaps[k] as DocumentSnapshot })),
        (err: unknown) => chunk.forEach((c) => settle(c, { err })),
      );
    }
  }

  /** In batches one after another: a document's second write (in the next batch) lands after its first. */
  async function sendWrites(): Promise<void> {
    let rest = writes;
    writes = [];
    while (rest.length > 0) {
      // One write per document per batch: a second write to a document goes in the next batch.
      const paths = new Set<string>();
      const batch: PendingWrite[] = [];
      const later: PendingWrite[] = [];
      for (const w of rest) {
        if (paths.has(w.write.ref.path) || batch.length >= WRITES_PER_BATCH) later.push(w);
        else {
          paths.add(w.write.ref.path);
          batch.push(w);
        }
      }
      await commit(batch);
      rest = later;
    }
  }

  async function commit(batch: PendingWrite[]): Promise<void> {
    if (batch.length === 1) return writeAlone(batch[0] as PendingWrite);
    try {
      const wb = db.batch();
      for (const { write } of batch) addTo(wb, write);
      const results = await wb.commit();
      batch.forEach((w, i) => w.resolve(results[i] as WriteResult));
    } catch (err) {
      // A batch is all or nothing: when one write lost a race, they are sent again in one batch that is not atomic,
      // each getting its own answer; when one was refused before sending (invalid data: no gRPC code), each is sent
      // alone. Anything else (unavailable, a timeout) is every write's answer.
      const code = toRecord(err)['code'];
      if (isWriteRace(err)) await writeEach(batch);
      else if (typeof code !== 'number') await Promise.all(batch.map(writeAlone));
      else batch.forEach((w) => w.reject(err));
    }
  }

  /**
   * Each write on its own, in one round trip (Firestore's BatchWrite, through a BulkWriter): one lost race fails only
   * itself, where sending each in a commit of its own would cost a round trip each. Not retried here: the callers
   * decide (a race is decided again on a fresh read).
   */
  async function writeEach(batch: PendingWrite[]): Promise<void> {
    const writer = db.bulkWriter({ throttling: false });
    writer.onWriteError(() => false);
    const answered = batch.map(async (w) => {
      try {
        w.resolve(await addTo(writer, w.write));
      } catch (err) {
        w.reject(err);
      }
    });
    await writer.close();
    await Promise.all(answered);
  }

  /** One write in a commit of its own (what DocumentReference.create and update send). */
  async function writeAlone(w: PendingWrite): Promise<void> {
    try {
      const wb = db.batch();
      addTo(wb, w.write);
      const [result] = await wb.commit();
      w.resolve(result as WriteResult);
    } catch (err) {
      w.reject(err);
    }
  }

  function enqueueWrite(write: Write): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      writes.push({ write, resolve, reject });
      schedule();
    });
  }

  function read(ref: DocumentReference): Promise<DocumentSnapshot> {
    return new Promise((resolve, reject) => {
      const entry = reads.get(ref.path) ?? { ref, waiters: [] };
      entry.waiters.push((r) => ('snap' in r ? resolve(r.snap) : reject(r.err)));
      reads.set(ref.path, entry);
      schedule();
    });
  }

  return {
    get: read,
    getAll: (refs) => Promise.all(refs.map(read)),
    create: (ref, data) => enqueueWrite({ kind: 'create', ref, data }),
    update: (ref, data, precondition) =>
      enqueueWrite(precondition ? { kind: 'update', ref, data, precondition } : { kind: 'update', ref, data }),
  };
}

/** A WriteBatch (atomic) or a BulkWriter (each write on its own): both take a create or an update the same way. */
interface WriteTarget<T> {
  create(ref: DocumentReference, data: DocumentData): T;
  update(ref: DocumentReference, data: DocumentData, precondition?: Precondition): T;
}

function addTo<T>(target: WriteTarget<T>, write: Write): T {
  if (write.kind === 'create') return target.create(write.ref, write.data);
  // Without a precondition the SDK's own default applies (the document must exist), as with a plain update.
  return write.precondition
    ? target.update(write.ref, write.data, write.precondition)
    : target.update(write.ref, write.data);
}
