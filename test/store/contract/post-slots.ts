import { describe, expect, it } from 'vitest';
import type { MessageKey, PostSlotStore, SlotDecision, SlotReading } from '../../../src/pipeline/ports.js';

/** Two handles on one posting-slot state (two instances of the app, for Firestore). */
export type MakePostSlots = () => Promise<[PostSlotStore, PostSlotStore]>;

const T0 = new Date('2024-01-01T00:00:00Z');
const INTERVAL = 1000;
const key = (prNumber: number, channelId = 'C1') => ({
  workspaceId: 'T1',
  channelId,
  repoFullName: 'Octo/Repo',
  prNumber,
});
/** Asks `store` for message `k`'s slot at T0 + `ms`; no post is held unless `holdMs` says so. */
const ask = (
  store: PostSlotStore,
  k: MessageKey,
  ms: number,
  more: { holdMs?: number; ahead?: Promise<SlotReading> } = {},
) => store.take({ key: k, now: () => new Date(T0.getTime() + ms), intervalMs: INTERVAL, holdMs: 0, ...more });
/** When to come back (ms after T0); null: go. */
const retryAt = (d: SlotDecision) => (d.go ? null : d.retryAt.getTime() - T0.getTime());
/** When to post (ms after T0); null: come back later. */
const postsAt = (d: SlotDecision) => (d.go ? d.at.getTime() - T0.getTime() : null);

export function describePostSlotContract(makeSlots: MakePostSlots): void {
  describe('posting slots', () => {
    it('gives a burst one slot each, an interval apart, and each slot to its own message', async () => {
      const [a, b] = await makeSlots();
      const first = await Promise.all([1, 2, 3].map((n, i) => ask(i % 2 ? b : a, key(n), 0)));
      expect(first.filter((d) => d.go)).toHaveLength(1);
      expect(
        first
          .map(retryAt)
          .filter((ms) => ms !== null)
          .sort(),
      ).toEqual([1000, 2000]);
      const byWait = new Map(first.map((d, i) => [retryAt(d), i + 1]));
      // Coming back early repeats the message's own slot; at its slot it goes.
      expect(retryAt(await ask(a, key(byWait.get(2000) ?? 0), 500))).toBe(2000);
      expect(postsAt(await ask(b, key(byWait.get(1000) ?? 0), 1000))).toBe(1000);
      expect(postsAt(await ask(a, key(byWait.get(2000) ?? 0), 2000))).toBe(2000);
    });

    it('never holds up another channel or workspace', async () => {
      const [a, b] = await makeSlots();
      expect(postsAt(await ask(a, key(1, 'CX'), 0))).toBe(0);
      expect(postsAt(await ask(b, key(2, 'CY'), 0))).toBe(0);
      expect(postsAt(await ask(a, { ...key(3, 'CX'), workspaceId: 'T2' }, 0))).toBe(0);
    });

    it('keeps posts an interval apart when a message comes back late for its slot', async () => {
      const [store] = await makeSlots();
      const k = (n: number) => key(n, 'CLATE');
      expect(postsAt(await ask(store, k(1), 0))).toBe(0);
      expect(retryAt(await ask(store, k(2), 0))).toBe(1000);
      expect(retryAt(await ask(store, k(3), 0))).toBe(2000);
      expect(postsAt(await ask(store, k(2), 1900))).toBe(1900);
      expect(retryAt(await ask(store, k(3), 2000))).toBe(2900);
    });

    it('lets a post wait for a slot at most holdMs away, and paces the next one from that slot', async () => {
      const [a, b] = await makeSlots();
      const k = (n: number) => key(n, 'CHOLD');
      expect(postsAt(await ask(a, k(1), 0, { holdMs: 1000 }))).toBe(0);
      // The next slot is 1000 ms away: taken now, to be posted then.
      expect(postsAt(await ask(b, k(2), 0, { holdMs: 1000 }))).toBe(1000);
      // Further than that: come back.
      expect(retryAt(await ask(a, k(3), 0, { holdMs: 1000 }))).toBe(2000);
      // Back early for it, within the hold: its own slot, not the time it asked.
      expect(postsAt(await ask(a, k(3), 1200, { holdMs: 1000 }))).toBe(2000);
      // The channel's next post follows that slot, not the moment it was decided.
      expect(retryAt(await ask(b, k(4), 1200, { holdMs: 1000 }))).toBe(3000);
    });

    it('books by the channel as it is, not as it was read ahead, when another post took the slot meanwhile', async () => {
      const [a, b] = await makeSlots();
      const k = (n: number) => key(n, 'CAHEAD');
      // Both read the free channel ahead; the other instance posts first.
      const aheadA = a.readAhead(k(1));
      const aheadB = b.readAhead(k(2));
      await Promise.all([aheadA, aheadB]);
      expect(postsAt(await ask(b, k(2), 0, { ahead: aheadB }))).toBe(0);
      expect(retryAt(await ask(a, k(1), 0, { ahead: aheadA }))).toBe(1000);
      // A fresh reading is used as it is: the next slot after both bookings.
      expect(retryAt(await ask(a, k(3), 0, { ahead: a.readAhead(k(3)) }))).toBe(2000);
    });

    it('forgets a booking whose message never came back, after an hour', async () => {
      const [store] = await makeSlots();
      const k = (n: number) => key(n, 'CGONE');
      expect(postsAt(await ask(store, k(1), 0))).toBe(0);
      expect(retryAt(await ask(store, k(2), 0))).toBe(1000);
      // Message 2 never comes back; two hours later message 3 goes at once.
      expect(postsAt(await ask(store, k(3), 2 * 3_600_000))).toBe(2 * 3_600_000);
    });
  });
}
