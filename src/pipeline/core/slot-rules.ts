import type { SlotDecision } from '../ports.js';

/** Bookings of jobs that never came back (dead, or their message was posted by another job) are dropped after this. */
const FORGET_BOOKINGS_MS = 60 * 60 * 1000;

/** A channel's posting slots, times in ms since the epoch: what every store keeps, in its own form. */
export interface ChannelSlots {
  /** The first slot nobody booked yet. */
  nextSlotAt: number;
  /** The time of the last post that went (in the future while a held post waits for it). */
  lastPostAt: number;
  /** Message booking id -> its slot: a burst keeps its order, one interval apart. */
  bookings: Record<string, number>;
}

export const NO_SLOTS: ChannelSlots = { nextSlotAt: 0, lastPostAt: 0, bookings: {} };

/**
 * The channel's slots after message `booking` asked for one at `now`, and the answer. Its slot is booked once (kept
 * on later asks) and taken when it is at most `holdMs` away and the channel's last post is an interval before it:
 * the post then goes at that time (`at`; the caller waits for it itself, which is cheaper and more punctual than a
 * trip through the queue). Otherwise it comes back at `retryAt`. The `lastPostAt` check keeps posts apart even when
 * a message comes back late for its slot.
 */
export function decideSlot(input: {
  slots: ChannelSlots;
  booking: string;
  now: number;
  intervalMs: number;
  holdMs: number;
}): { slots: ChannelSlots; decision: SlotDecision } {
  const { booking, now, intervalMs } = input;
  const bookings: Record<string, number> = {};
  for (const [k, v] of Object.entries(input.slots.bookings)) if (v > now - FORGET_BOOKINGS_MS) bookings[k] = v;
  const { lastPostAt } = input.slots;
  let nextSlotAt = Math.max(input.slots.nextSlotAt, lastPostAt + intervalMs);
  let slot = bookings[booking];
  if (slot === undefined) {
    slot = Math.max(now, nextSlotAt);
    bookings[booking] = slot;
    nextSlotAt = slot + intervalMs;
  }
  const at = Math.max(now, slot, lastPostAt + intervalMs);
  if (at > now + input.holdMs) {
    return { slots: { nextSlotAt, lastPostAt, bookings }, decision: { go: false, retryAt: new Date(at) } };
  }
  delete bookings[booking];
  return { slots: { nextSlotAt, lastPostAt: at, bookings }, decision: { go: true, at: new Date(at) } };
}
