import { Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import type { MessageKey, PostSlotStore, SlotDecision, SlotReading } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createCompareAndSet, type Known } from '../firestore/compare-and-set.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';

/** Bookings of jobs that never came back (dead, or their message was posted by another job) are dropped after this. */
const FORGET_BOOKINGS_MS = 60 * 60 * 1000;

const millis = (v: unknown): number => (v instanceof Timestamp ? v.toMillis() : 0);

/**
 * channel_post_slots/{team}#{channel}: `next_slot_at` (the first unbooked slot), `last_post_at` (the last slot
 * taken) and `bookings` (message -> booked slot). Bookings keep a burst in order, one `intervalMs` apart; the
 * `last_post_at` check keeps posts apart even when a job comes back late for its slot.
 *
 * A booking is a compare-and-set (see compare-and-set.ts): several instances posting in one channel never wait on a
 * document lock, and the channel's next booking here (a PR's next post, a reply in its thread) writes on the version
 * this process wrote last, reading only when another instance booked meanwhile.
 */
export function createFirestorePostSlotStore(db: Firestore, options: { io?: DocIo } = {}): PostSlotStore {
  const io = options.io ?? createBatchedDocIo(db);
  const slots = createCompareAndSet<DocumentData>({ db, io, decode: (snap) => snap.data() ?? {} });
  const slotsRef = (key: MessageKey) =>
    db.collection(COLLECTIONS.channelPostSlots).doc(ids.channelPostSlot(key.workspaceId, key.channelId));
  // What each reading saw; a reading is only ever looked into here.
  const seen = new WeakMap<SlotReading, Known<DocumentData>>();
  return {
    async take({ key, now, intervalMs, ahead }) {
      const booking = ids.postSlotBooking(key);
      return slots.write(slotsRef(key), {
        otherwise: ahead && (await readingOf(ahead)),
        change(current) {
          const { data, decision } = decideSlot({ slots: current, key, booking, now: now(), intervalMs });
          return { data, value: data, result: decision };
        },
      });
    },
    async readAhead(key) {
      const doc = await slots.current(slotsRef(key));
      const reading: SlotReading = { channel: key.channelId };
      seen.set(reading, doc);
      return reading;
    },
  };

  /** What a reading saw; nothing when the read failed (the booking then reads for itself). */
  async function readingOf(ahead: Promise<SlotReading>): Promise<Known<DocumentData> | undefined> {
    const reading = await ahead.catch(() => null);
    return reading ? seen.get(reading) : undefined;
  }
}

/** The channel's slots after this message asked for one, and whether it may post now or when to come back. */
function decideSlot(input: {
  /** The slots document as known, or null when there is none yet. */
  slots: DocumentData | null;
  key: { workspaceId: string; channelId: string };
  booking: string;
  now: Date;
  intervalMs: number;
}): { data: DocumentData; decision: SlotDecision } {
  const { key, booking, now, intervalMs } = input;
  const slots = input.slots ?? {};
  const at = now.getTime();
  const raw: unknown = slots['bookings'];
  const bookings: Record<string, number> = {};
  for (const [k, v] of Object.entries(typeof raw === 'object' && raw !== null ? raw : {})) {
    if (millis(v) > at - FORGET_BOOKINGS_MS) bookings[k] = millis(v);
  }
  const lastPost = millis(slots['last_post_at']);
  let nextSlot = Math.max(millis(slots['next_slot_at']), lastPost + intervalMs);
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
