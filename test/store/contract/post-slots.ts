import { describe, expect, it } from 'vitest';
import type { PostSlotStore, SlotDecision } from '../../../src/pipeline/ports.js';

/** Two handles on one posting-slot state (two instances of the app, for Firestore). */
export type MakePostSlots = () => Promise<[PostSlotStore, PostSlotStore]>;

const T0 = new Date('2024-01-01T00:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const INTERVAL = 1000;
const key = (prNumber: number, channelId = 'C1') => ({
  workspaceId: 'T1',
  channelId,
  repoFullName: 'Octo/Repo',
  prNumber,
});
const retryAt = (d: SlotDecision) => (d.go ? null : d.retryAt.getTime() - T0.getTime());

export function describePostSlotContract(makeSlots: MakePostSlots): void {
  describe('posting slots', () => {
    it('gives a burst one slot each, an interval apart, and each slot to its own message', async () => {
      const [a, b] = await makeSlots();
      const first = await Promise.all(
        [1, 2, 3].map((n, i) => (i % 2 ? b : a).take({ key: key(n), now: () => T0, intervalMs: INTERVAL })),
      );
      expect(first.filter((d) => d.go)).toHaveLength(1);
      expect(
        first
          .map(retryAt)
          .filter((ms) => ms !== null)
          .sort(),
      ).toEqual([1000, 2000]);
      const byWait = new Map(first.map((d, i) => [retryAt(d), i + 1]));
      // Coming back early repeats the message's own slot; at its slot it goes.
      expect(
        retryAt(await a.take({ key: key(byWait.get(2000) ?? 0), now: () => plus(500), intervalMs: INTERVAL })),
      ).toBe(2000);
      expect(await b.take({ key: key(byWait.get(1000) ?? 0), now: () => plus(1000), intervalMs: INTERVAL })).toEqual({
        go: true,
      });
      expect(await a.take({ key: key(byWait.get(2000) ?? 0), now: () => plus(2000), intervalMs: INTERVAL })).toEqual({
        go: true,
      });
    });

    it('never holds up another channel or workspace', async () => {
      const [a, b] = await makeSlots();
      expect(await a.take({ key: key(1, 'CX'), now: () => T0, intervalMs: INTERVAL })).toEqual({ go: true });
      expect(await b.take({ key: key(2, 'CY'), now: () => T0, intervalMs: INTERVAL })).toEqual({ go: true });
      expect(
        await a.take({ key: { ...key(3, 'CX'), workspaceId: 'T2' }, now: () => T0, intervalMs: INTERVAL }),
      ).toEqual({
        go: true,
      });
    });

    it('keeps posts an interval apart when a message comes back late for its slot', async () => {
      const [store] = await makeSlots();
      const k = (n: number) => key(n, 'CLATE');
      expect(await store.take({ key: k(1), now: () => T0, intervalMs: INTERVAL })).toEqual({ go: true });
      expect(retryAt(await store.take({ key: k(2), now: () => T0, intervalMs: INTERVAL }))).toBe(1000);
      expect(retryAt(await store.take({ key: k(3), now: () => T0, intervalMs: INTERVAL }))).toBe(2000);
      expect(await store.take({ key: k(2), now: () => plus(1900), intervalMs: INTERVAL })).toEqual({ go: true });
      expect(retryAt(await store.take({ key: k(3), now: () => plus(2000), intervalMs: INTERVAL }))).toBe(2900);
    });

    it('books by the channel as it is, not as it was read ahead, when another post took the slot meanwhile', async () => {
      const [a, b] = await makeSlots();
      const k = (n: number) => key(n, 'CAHEAD');
      // Both read the free channel ahead; the other instance posts first.
      const aheadA = a.readAhead(k(1));
      const aheadB = b.readAhead(k(2));
      await Promise.all([aheadA, aheadB]);
      expect(await b.take({ key: k(2), now: () => T0, intervalMs: INTERVAL, ahead: aheadB })).toEqual({ go: true });
      expect(retryAt(await a.take({ key: k(1), now: () => T0, intervalMs: INTERVAL, ahead: aheadA }))).toBe(1000);
      // A fresh reading is used as it is: the next slot after both bookings.
      expect(retryAt(await a.take({ key: k(3), now: () => T0, intervalMs: INTERVAL, ahead: a.readAhead(k(3)) }))).toBe(
        2000,
      );
    });

    it('forgets a booking whose message never came back, after an hour', async () => {
      const [store] = await makeSlots();
      const k = (n: number) => key(n, 'CGONE');
      expect(await store.take({ key: k(1), now: () => T0, intervalMs: INTERVAL })).toEqual({ go: true });
      expect(retryAt(await store.take({ key: k(2), now: () => T0, intervalMs: INTERVAL }))).toBe(1000);
      // Message 2 never comes back; two hours later message 3 goes at once.
      expect(await store.take({ key: k(3), now: () => plus(2 * 3_600_000), intervalMs: INTERVAL })).toEqual({
        go: true,
      });
    });
  });
}
