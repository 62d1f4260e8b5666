import type { PostSlotStore } from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';
import { createSerial } from '../memory-store/serial.js';

/** Bookings of jobs that never came back are dropped after this (as in the Firestore store). */
const FORGET_BOOKINGS_MS = 60 * 60 * 1000;

interface Channel {
  nextSlotAt: number;
  lastPostAt: number;
  bookings: Map<string, number>;
}

/** Posting slots per (workspace, channel) in memory, with the Firestore store's booking rules. */
export function createMemoryPostSlotStore(): PostSlotStore {
  const serial = createSerial();
  const channels = new Map<string, Channel>();
  return {
    // Memory has no round trips to save: a take always decides on the channel as it is.
    readAhead: async (key) => ({ channel: key.channelId }),
    take: ({ key, now, intervalMs }) =>
      serial(() => {
        const id = ids.channelPostSlot(key.workspaceId, key.channelId);
        const channel = channels.get(id) ?? { nextSlotAt: 0, lastPostAt: 0, bookings: new Map<string, number>() };
        const at = now().getTime();
        for (const [booking, slot] of channel.bookings) {
          if (slot <= at - FORGET_BOOKINGS_MS) channel.bookings.delete(booking);
        }
        const booking = ids.postSlotBooking(key);
        let nextSlot = Math.max(channel.nextSlotAt, channel.lastPostAt + intervalMs);
        let slot = channel.bookings.get(booking);
        if (slot === undefined) {
          slot = Math.max(at, nextSlot);
          channel.bookings.set(booking, slot);
          nextSlot = slot + intervalMs;
        }
        const earliest = Math.max(slot, channel.lastPostAt + intervalMs);
        const go = earliest <= at;
        if (go) channel.bookings.delete(booking);
        channels.set(id, {
          nextSlotAt: nextSlot,
          lastPostAt: go ? at : channel.lastPostAt,
          bookings: channel.bookings,
        });
        return go ? { go: true as const } : { go: false as const, retryAt: new Date(earliest) };
      }),
  };
}
