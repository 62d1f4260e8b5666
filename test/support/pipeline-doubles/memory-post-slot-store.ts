import { decideSlot, NO_SLOTS, type ChannelSlots } from '../../../src/pipeline/core/slot-rules.js';
import type { PostSlotStore } from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';
import { createSerial } from '../memory-store/serial.js';

/** Posting slots per (workspace, channel) in memory, decided by the app's slot rules. */
export function createMemoryPostSlotStore(): PostSlotStore {
  const serial = createSerial();
  const channels = new Map<string, ChannelSlots>();
  return {
    // Memory has no round trips to save: a take always decides on the channel as it is.
    readAhead: async (key) => ({ channel: key.channelId }),
    take: ({ key, now, intervalMs, holdMs }) =>
      serial(() => {
        const id = ids.channelPostSlot(key.workspaceId, key.channelId);
        const { slots, decision } = decideSlot({
          slots: channels.get(id) ?? NO_SLOTS,
          booking: ids.postSlotBooking(key),
          now: now().getTime(),
          intervalMs,
          holdMs,
        });
        channels.set(id, slots);
        return decision;
      }),
  };
}
