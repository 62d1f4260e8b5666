import { afterAll, describe, expect, it } from 'vitest';
import type { SlotDecision } from '../../src/pipeline/ports.js';
import { createFirestorePostSlotStore } from '../../src/store/pipeline/post-slot-store.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('slots');
afterAll(() => db.terminate());
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

describe('channel posting slots', () => {
  it('gives a burst from two instances one slot each, in order, an interval apart, and each slot to its own job', async () => {
    const instances = [createFirestorePostSlotStore(db), createFirestorePostSlotStore(db)];
    const first = await Promise.all(
      [1, 2, 3, 4].map((n, i) => instances[i % 2]!.take({ key: key(n), now: T0, intervalMs: INTERVAL })),
    );
    expect(first.filter((d) => d.go)).toHaveLength(1);
    const waits = first
      .map(retryAt)
      .filter((ms): ms is number => ms !== null)
      .sort((a, b) => a - b);
    expect(waits).toEqual([1000, 2000, 3000]);

    // Each waiting job comes back at its slot and gets it; coming back early only repeats its own slot.
    const byWait = new Map(first.map((d, i) => [retryAt(d), i + 1]));
    const second = byWait.get(2000) ?? 0;
    expect(retryAt(await instances[0]!.take({ key: key(second), now: plus(500), intervalMs: INTERVAL }))).toBe(2000);
    for (const ms of [1000, 2000, 3000]) {
      expect(
        await instances[(ms / 1000) % 2]!.take({ key: key(byWait.get(ms) ?? 0), now: plus(ms), intervalMs: INTERVAL }),
      ).toEqual({ go: true });
    }
    // A newcomer queues behind the burst; another channel is not held up at all.
    expect(retryAt(await instances[0]!.take({ key: key(5), now: plus(3100), intervalMs: INTERVAL }))).toBe(4000);
    expect(await instances[1]!.take({ key: key(5, 'C2'), now: plus(3100), intervalMs: INTERVAL })).toEqual({
      go: true,
    });
  });

  it('keeps posts an interval apart when a job comes back late for its slot', async () => {
    const store = createFirestorePostSlotStore(db);
    const k = (n: number) => key(n, 'CLATE');
    expect(await store.take({ key: k(1), now: T0, intervalMs: INTERVAL })).toEqual({ go: true });
    expect(retryAt(await store.take({ key: k(2), now: T0, intervalMs: INTERVAL }))).toBe(1000);
    expect(retryAt(await store.take({ key: k(3), now: T0, intervalMs: INTERVAL }))).toBe(2000);
    // Job 2 is 900 ms late: it posts then, so job 3 must wait an interval after that, not just until its slot.
    expect(await store.take({ key: k(2), now: plus(1900), intervalMs: INTERVAL })).toEqual({ go: true });
    expect(retryAt(await store.take({ key: k(3), now: plus(2000), intervalMs: INTERVAL }))).toBe(2900);
    expect(await store.take({ key: k(3), now: plus(2900), intervalMs: INTERVAL })).toEqual({ go: true });
  });
});
