import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore, Timestamp } from '@google-cloud/firestore';
import { rememberCapped } from '../../shared/capped-memory.js';
import type { DocIo } from './doc-io.js';
import { createKeyedChain } from './keyed-chain.js';
import { runTransaction } from './transactions.js';
import { isWriteRace } from './write-race.js';

/** Lost rounds before a write falls back to a transaction (a document this busy across instances is rare). */
export const CAS_ROUNDS = 5;
/** Documents whose last write this process remembers: about one per channel or open PR it serves. */
const WRITES_KEPT = 10_000;

/** A document as a write decides from: absent, or its value at a version. */
export type Known<V> = { value: null } | { value: V; updateTime: Timestamp };

/** What a write makes of the document's value: the data to write, the value to remember, the caller's answer. */
export interface Change<V, R> {
  data: DocumentData;
  value: V;
  result: R;
}

/**
 * Writes of one kind of document as compare-and-sets: decide from the version known, write on the condition that the
 * document is still that version (create it if there was none), read again after a lost race; after a few lost rounds
 * a transaction decides. Instances never wait on a document lock (a transaction's): a lost race is one failed write.
 * The version this process wrote last is remembered, so its next write of the document needs no read; writes of one
 * document go one at a time here, so this process never races itself.
 */
export function createCompareAndSet<V>(options: {
  db: Firestore;
  io: DocIo;
  decode: (snap: DocumentSnapshot) => V;
  /** The data an update sends (an update leaves the fields it does not name as they were). Default: as decided. */
  forUpdate?: (data: DocumentData) => DocumentData;
}) {
  const { db, io, decode } = options;
  const chain = createKeyedChain();
  const lastWritten = new Map<string, Known<V>>();
  const known = (snap: DocumentSnapshot): Known<V> =>
    snap.exists && snap.updateTime ? { value: decode(snap), updateTime: snap.updateTime } : { value: null };
  const read = async (ref: DocumentReference) => known(await io.get(ref));

  return {
    /** The document as this process last wrote it, else as read now. */
    async current(ref: DocumentReference): Promise<Known<V>> {
      return lastWritten.get(ref.path) ?? read(ref);
    },
    /**
     * Decides `change` from the version this process last wrote, else from `otherwise` (what the caller knows, e.g. a
     * read made earlier, or that the document is new), else from a read.
     */
    write<R>(
      ref: DocumentReference,
      input: { otherwise?: Known<V> | undefined; change: (current: V | null) => Change<V, R> },
    ): Promise<R> {
      return chain(ref.path, async () => {
        let first = lastWritten.get(ref.path) ?? input.otherwise;
        for (let round = 0; round < CAS_ROUNDS; round++) {
          const current = first ?? (await read(ref));
          first = undefined;
          const { data, value, result } = input.change(current.value);
          try {
            const written =
              'updateTime' in current
                ? await io.update(ref, options.forUpdate?.(data) ?? data, { lastUpdateTime: current.updateTime })
                : await io.create(ref, data);
            rememberCapped(lastWritten, ref.path, { value, updateTime: written.writeTime }, WRITES_KEPT);
            return result;
          } catch (err) {
            lastWritten.delete(ref.path);
            if (!isWriteRace(err)) throw err;
          }
        }
        // Already one at a time per document here: a plain transaction, not the runner (whose queue would wait on this).
        return runTransaction(db, async (tx) => {
          const { data, result } = input.change(known(await tx.get(ref)).value);
          tx.set(ref, data);
          return result;
        });
      });
    },
  };
}
