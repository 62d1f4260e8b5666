import { Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import { decideSlot, NO_SLOTS, type ChannelSlots } from '../../pipeline/core/slot-rules.js';
import type { MessageKey, PostSlotStore, SlotReading } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createCompareAndSet, type Known } from '../firestore/compare-and-set.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';

const millis = (v: unknown): number => (v instanceof Timestamp ? v.toMillis() : 0);

/**
 * channel_post_slots/{team}#{channel}: `next_slot_at` (the first unbooked slot), `last_post_at` (the last slot
 * taken) and `bookings` (message -> booked slot), as slot-rules.ts decides them.
 *
 * A booking is a compare-and-set (see compare-and-set.ts): several instances posting in one channel never wait on a
 * document lock, and the channel's next booking here (a PR's next post, a reply in its thread) writes on the version
 * this process wrote last, reading only when another instance booked meanwhile.
 */
export function createFirestorePostSlotStore(db: Firestore, options: { io?: DocIo } = {}): PostSlotStore {
  const io = options.io ?? createBatchedDocIo(db);
  const slots = createCompareAndSet<ChannelSlots>({ db, io, decode: (snap) => slotsOf(snap.data() ?? {}) });
  const slotsRef = (key: MessageKey) =>
    db.collection(COLLECTIONS.channelPostSlots).doc(ids.channelPostSlot(key.workspaceId, key.channelId));
  // What each reading saw; a reading is only ever looked into here.
  const seen = new WeakMap<SlotReading, Known<ChannelSlots>>();
  return {
    async take({ key, now, intervalMs, holdMs, ahead }) {
      const booking = ids.postSlotBooking(key);
      return slots.write(slotsRef(key), {
        otherwise: ahead && (await readingOf(ahead)),
        change(current) {
          const at = now().getTime();
          const decided = decideSlot({ slots: current ?? NO_SLOTS, booking, now: at, intervalMs, holdMs });
          return { data: slotsDoc(key, decided.slots, at), value: decided.slots, result: decided.decision };
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
  async function readingOf(ahead: Promise<SlotReading>): Promise<Known<ChannelSlots> | undefined> {
    const reading = await ahead.catch(() => null);
    return reading ? seen.get(reading) : undefined;
  }
}

/** The stored document as the slot rules see it. */
function slotsOf(doc: DocumentData): ChannelSlots {
  const raw: unknown = doc['bookings'];
  const bookings: Record<string, number> = {};
  for (const [k, v] of Object.entries(typeof raw === 'object' && raw !== null ? raw : {})) bookings[k] = millis(v);
  return { nextSlotAt: millis(doc['next_slot_at']), lastPostAt: millis(doc['last_post_at']), bookings };
}

function slotsDoc(key: MessageKey, slots: ChannelSlots, now: number): DocumentData {
  return {
    slack_team_id: key.workspaceId,
    channel_id: key.channelId,
    next_slot_at: Timestamp.fromMillis(slots.nextSlotAt),
    last_post_at: Timestamp.fromMillis(slots.lastPostAt),
    bookings: Object.fromEntries(Object.entries(slots.bookings).map(([k, v]) => [k, Timestamp.fromMillis(v)])),
    updated_at: new Date(now),
  };
}
