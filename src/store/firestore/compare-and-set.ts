import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore, Timestamp } from '@google-cloud/firestore';
import { rememberCapped } from '../../shared/capped-memory.js';
import type { DocIo } from './doc-io.js';
import { createKeyedChain } from './keyed-chain.js';
import { runTransaction } from './transactions.js';
import { isWriteRace, mayHaveLanded } from './write-race.js';

/** Lost rounds before a write falls back to a transaction (a document this busy across instances is rare). */
const CAS_ROUNDS = 5;
/** Documents whose last write this process remembers: about one per channel or open PR it serves. */
const WRITES_KEPT = 10_000;

/** A document as a write decides from: absent, or its value at a version. */
export type Known<V> = { value: null } | { value: V; updateTime: Timestamp };

/** What a decision on a document answers, and what it writes, if anything (`then`: told the write's time). */
export interface Decision<R> {
  result: R;
  write?: { data: DocumentData; then?: (writeTime: Timestamp) => void };
}

/** How one kind of document is read and written conditionally. */
export interface ConditionalDocs<V> {
  db: Firestore;
  io: DocIo;
  decode: (snap: DocumentSnapshot) => V;
  /** The data an update sends (an update leaves the fields it does not name as they were). Default: as decided. */
  forUpdate?: (data: DocumentData) => DocumentData;
  /** Told of every read of a document. */
  onRead?: () => void;
}

/** What an update of the document sends for `data`. */
const updateData = <V>(docs: ConditionalDocs<V>, data: DocumentData) => docs.forUpdate?.(data) ?? data;

function knownOf<V>(docs: ConditionalDocs<V>, snap: DocumentSnapshot): Known<V> {
  return snap.exists && snap.updateTime ? { value: docs.decode(snap), updateTime: snap.updateTime } : { value: null };
}

/** The document as it is now: one read, batched with the caller's others of the same turn. */
export async function readKnown<V>(docs: ConditionalDocs<V>, ref: DocumentReference): Promise<Known<V>> {
  const snap = await docs.io.get(ref);
  docs.onRead?.();
  return knownOf(docs, snap);
}

/**
 * Writes `decision` on the condition that the document is still the version it was decided from (created, if it was
 * absent). Throws a write race (see write-race.ts) when it is not.
 */
export async function writeDecision<V, R>(
  docs: ConditionalDocs<V>,
  ref: DocumentReference,
  from: Known<V>,
  decision: Decision<R>,
): Promise<R> {
  const { write } = decision;
  if (!write) return decision.result;
  const written =
    'updateTime' in from
      ? await docs.io.update(ref, updateData(docs, write.data), { lastUpdateTime: from.updateTime })
      : await docs.io.create(ref, write.data);
  write.then?.(written.writeTime);
  return decision.result;
}

/**
 * A compare-and-set: decides from the version given (`first`), else from a read; writes on the condition that the
 * document is still that version; reads again after a lost race, or an answer lost (the write may have landed: the
 * decision is then made on the document with it, so a decision must hold on the state its own write left). After a
 * few lost rounds a transaction decides.
 * Instances never wait on a document lock (a transaction's): a lost race is one failed write. The caller runs the
 * writes of one document one at a time, so this process never races itself.
 */
export async function decideAndWrite<V, R>(
  docs: ConditionalDocs<V>,
  ref: DocumentReference,
  input: { first?: Known<V> | undefined; decide: (current: V | null) => Decision<R> },
): Promise<R> {
  const known = (snap: DocumentSnapshot): Known<V> => {
    docs.onRead?.();
    return knownOf(docs, snap);
  };
  let first = input.first;
  for (let round = 0; round < CAS_ROUNDS; round++) {
    const current = first ?? (await readKnown(docs, ref));
    first = undefined;
    try {
      return await writeDecision(docs, ref, current, input.decide(current.value));
    } catch (err) {
      // A lost answer is decided again like a lost race: the fresh read shows whether the write landed.
      if (!isWriteRace(err) && !mayHaveLanded(err)) throw err;
    }
  }
  // Already one at a time per document here: a plain transaction, not the runner (whose queue would wait on this).
  return runTransaction(docs.db, async (tx) => {
    const current = known(await tx.get(ref));
    const { result, write } = input.decide(current.value);
    if (!write) return result;
    if ('updateTime' in current) tx.update(ref, updateData(docs, write.data));
    else tx.create(ref, write.data);
    return result;
  });
}

/**
 * Writes of one kind of document as compare-and-sets (see decideAndWrite), always writing. The version this process
 * wrote last is remembered, so its next write of the document needs no read; writes of one document go one at a time.
 */
export function createCompareAndSet<V>(docs: ConditionalDocs<V>) {
  const chain = createKeyedChain();
  const lastWritten = new Map<string, Known<V>>();

  return {
    /** The document as this process last wrote it, else as read now. */
    async current(ref: DocumentReference): Promise<Known<V>> {
      return lastWritten.get(ref.path) ?? knownOf(docs, await docs.io.get(ref));
    },
    /**
     * Decides `change` from the version this process last wrote, else from `otherwise` (what the caller knows, e.g. a
     * read made earlier, or that the document is new), else from a read.
     */
    write<R>(
      ref: DocumentReference,
      input: {
        otherwise?: Known<V> | undefined;
        change: (current: V | null) => { data: DocumentData; value: V; result: R };
      },
    ): Promise<R> {
      return chain(ref.path, () => {
        const first = lastWritten.get(ref.path) ?? input.otherwise;
        // Remembered again once a write lands; a lost race or a failure leaves it unknown.
        lastWritten.delete(ref.path);
        return decideAndWrite(docs, ref, {
          first,
          decide(current) {
            const { data, value, result } = input.change(current);
            const then = (updateTime: Timestamp) =>
              rememberCapped(lastWritten, ref.path, { value, updateTime }, WRITES_KEPT);
            return { result, write: { data, then } };
          },
        });
      });
    },
  };
}
