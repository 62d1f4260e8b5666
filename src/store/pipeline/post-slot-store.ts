import { Timestamp, type DocumentData, type DocumentReference, type Firestore } from '@google-cloud/firestore';
import type { MessageKey, PostSlotStore, SlotDecision, SlotReading } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { runTransaction } from '../firestore/transactions.js';
import { createKeyedChain } from '../firestore/keyed-chain.js';
import { isWriteRace } from '../firestore/write-race.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';
import { rememberCapped } from '../../shared/capped-memory.js';

/** Bookings of jobs that never came back (dead, or their message was posted by another job) are dropped after this. */
const FORGET_BOOKINGS_MS = 60 * 60 * 1000;

const millis = (v: unknown): number => (v instanceof Timestamp ? v.toMillis() : 0);

/** Compare-and-set rounds before the booking falls back to a transaction (a channel this busy is rare). */
const CAS_ROUNDS = 5;

/** Channels whose last write this process remembers: about one per channel it posts to. */
const WRITES_KEPT = 10_000;

/** What a booking decides from: the slots document as read, or as this process last wrote it. */
interface SlotDoc {
  readonly exists: boolean;
  readonly updateTime?: Timestamp | undefined;
  get(field: string): unknown;
}

/**
 * channel_post_slots/{team}#{channel}: `next_slot_at` (the first unbooked slot), `last_post_at` (the last slot
 * taken) and `bookings` (message -> booked slot). Bookings keep a burst in order, one `intervalMs` apart; the
 * `last_post_at` check keeps posts apart even when a job comes back late for its slot.
 *
 * A booking is a compare-and-set: read the document, then write it on the condition that it is still the version read
 * (create it if there was none). Several instances posting in one channel then never wait on a document lock (a
 * transaction's): a lost race is one failed write, read again at once. After a few lost rounds, a transaction decides.
 * The version this process wrote last is remembered: the channel's next booking here (a PR's next post, a reply in its
 * thread) writes on it without a read, and only reads when another instance booked meanwhile.
 */
export function createFirestorePostSlotStore(db: Firestore, options: { io?: DocIo } = {}): PostSlotStore {
  const io = options.io ?? createBatchedDocIo(db);
  // One booking at a time per channel in this process: it never races itself, only other instances.
  const chain = createKeyedChain();
  const slotsRef = (key: MessageKey) =>
    db.collection(COLLECTIONS.channelPostSlots).doc(ids.channelPostSlot(key.workspaceId, key.channelId));
  // What each reading saw; a reading is only ever looked into here.
  const seen = new WeakMap<SlotReading, SlotDoc>();
  const lastWritten = new Map<string, SlotDoc>();
  return {
    take({ key, now, intervalMs, ahead }) {
      const ref = slotsRef(key);
      const booking = ids.postSlotBooking(key);
      return chain(ref.path, async () =>
        book({
          ref,
          ahead: ahead && (await readingOf(ahead)),
          decide: (snap) => decideSlot({ snap, key, booking, now: now(), intervalMs }),
        }),
      );
    },
    async readAhead(key) {
      const ref = slotsRef(key);
      const doc = lastWritten.get(ref.path) ?? (await io.get(ref));
      const reading: SlotReading = { channel: key.channelId };
      seen.set(reading, doc);
      return reading;
    },
  };

  /** What a reading saw; nothing when the read failed (the booking then reads for itself). */
  async function readingOf(ahead: Promise<SlotReading>): Promise<SlotDoc | undefined> {
    const reading = await ahead.catch(() => null);
    return reading ? seen.get(reading) : undefined;
  }

  async function book(input: {
    ref: DocumentReference;
    /** The document as read ahead: the first round's. */
    ahead: SlotDoc | undefined;
    decide: (snap: SlotDoc) => { data: DocumentData; decision: SlotDecision };
  }): Promise<SlotDecision> {
    const { ref, decide } = input;
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const known = round === 0 ? (input.ahead ?? lastWritten.get(ref.path)) : undefined;
      const snap = known ?? (await io.get(ref));
      const { data, decision } = decide(snap);
      try {
        const result = snap.exists
          ? await io.update(ref, data, { lastUpdateTime: snap.updateTime })
          : await io.create(ref, data);
        rememberCapped(lastWritten, ref.path, writtenDoc(data, result.writeTime), WRITES_KEPT);
        return decision;
      } catch (err) {
        lastWritten.delete(ref.path);
        if (!isWriteRace(err)) throw err;
      }
    }
    // Already queued per channel here: a plain transaction, not the runner (whose own queue would wait on this one).
    return runTransaction(db, async (tx) => {
      const { data, decision } = decide(await tx.get(ref));
      tx.set(ref, data);
      return decision;
    });
  }
}

/** The document as this process wrote it, at the version the write made. */
function writtenDoc(data: DocumentData, updateTime: Timestamp): SlotDoc {
  return { exists: true, updateTime, get: (field) => data[field] };
}

/** The channel's slots after this message asked for one, and whether it may post now or when to come back. */
function decideSlot(input: {
  snap: SlotDoc;
  key: { workspaceId: string; channelId: string };
  booking: string;
  now: Date;
  intervalMs: number;
}): { data: DocumentData; decision: SlotDecision } {
  const { snap, key, booking, now, intervalMs } = input;
  const at = now.getTime();
  const raw: unknown = snap.get('bookings');
  const bookings: Record<string, number> = {};
  for (const [k, v] of Object.entries(typeof raw === 'object' && raw !== null ? raw : {})) {
    if (millis(v) > at - FORGET_BOOKINGS_MS) bookings[k] = millis(v);
  }
  const lastPost = millis(snap.get('last_post_at'));
  let nextSlot = Math.max(millis(snap.get('next_slot_at')), lastPost + intervalMs);
  let slot = bookings[booking];
  if (slot === undefined) {
    slot = Math.max(at, nextSlot);
    bookings[booking] = slot;
    nextSlot = slot + intervalMs;
  }
  const earliest = Math.max(slot, lastPost + intervalMs);
  const go = earliest <= at;
  if (go) delete bookings[booking];
  const data = {
    slack_team_id: key.workspaceId,
    channel_id: key.channelId,
    next_slot_at: Timestamp.fromMillis(nextSlot),
    last_post_at: Timestamp.fromMillis(go ? at : lastPost),
    bookings: Object.fromEntries(Object.entries(bookings).map(([k, v]) => [k, Timestamp.fromMillis(v)])),
    updated_at: now,
  };
  return { data, decision: go ? { go: true } : { go: false, retryAt: new Date(earliest) } };
}
