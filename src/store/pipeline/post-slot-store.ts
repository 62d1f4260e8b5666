import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { PostSlotStore, SlotDecision } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createTransactionRunner } from '../firestore/transactions.js';

/** Bookings of jobs that never came back (dead, or their message was posted by another job) are dropped after this. */
const FORGET_BOOKINGS_MS = 60 * 60 * 1000;

const millis = (v: unknown): number => (v instanceof Timestamp ? v.toMillis() : 0);

/**
 * channel_post_slots/{team}#{channel}: `next_slot_at` (the first unbooked slot), `last_post_at` (the last slot
 * taken) and `bookings` (message -> booked slot). Bookings keep a burst in order, one `intervalMs` apart; the
 * `last_post_at` check keeps posts apart even when a job comes back late for its slot.
 */
export function createFirestorePostSlotStore(db: Firestore): PostSlotStore {
  const transactions = createTransactionRunner(db);
  return {
    take({ key, now, intervalMs }) {
      const ref = db.collection(COLLECTIONS.channelPostSlots).doc(ids.channelPostSlot(key.workspaceId, key.channelId));
      const booking = ids.postSlotBooking(key.repoFullName, key.prNumber);
      return transactions.run(ref.path, async (tx): Promise<SlotDecision> => {
        const snap = await tx.get(ref);
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
        tx.set(ref, {
          slack_team_id: key.workspaceId,
          channel_id: key.channelId,
          next_slot_at: Timestamp.fromMillis(nextSlot),
          last_post_at: Timestamp.fromMillis(go ? at : lastPost),
          bookings: Object.fromEntries(Object.entries(bookings).map(([k, v]) => [k, Timestamp.fromMillis(v)])),
          updated_at: now,
        });
        return go ? { go: true } : { go: false, retryAt: new Date(earliest) };
      });
    },
  };
}
