import { describe, expect, it } from 'vitest';
import type { ClaimHolder, MessageKey, TrackedMessageStore } from '../../../src/pipeline/ports.js';

/** Two handles on one tracked-message state (two app instances for Firestore), both with this settle time. */
export const TRACKED_SETTLE_MS = 15_000;
export type MakeTrackedMessages = () => Promise<[TrackedMessageStore, TrackedMessageStore]>;

const now = new Date('2024-01-01T00:00:00Z');
const after = (ms: number) => new Date(now.getTime() + ms);
const run = (owner: string, lease: string): ClaimHolder => ({ owner, token: `${owner}:${lease}` });
let prNumber = 100;
const freshKey = (): MessageKey => ({
  workspaceId: 'T1',
  channelId: 'C1',
  repoFullName: 'Octo-Org/Hello-World',
  prNumber: (prNumber += 1),
});

/** The right to post a PR's message once, and the record of it: what post-once.ts relies on. */
export function describeTrackedMessageContract(makeTracked: MakeTrackedMessages): void {
  const SETTLE = TRACKED_SETTLE_MS;
  describe('tracked messages', () => {
    it('gives the right to post to exactly one of many concurrent claimers, and the first one need not look', async () => {
      const [a, b] = await makeTracked();
      const key = freshKey();
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? b : a).claimPost({ key, holder: run(`o${i}`, 'x'), now })),
      );
      expect(claims.filter((c) => c.outcome === 'claimed')).toEqual([{ outcome: 'claimed', lookFor: null }]);
      expect(claims.filter((c) => c.outcome === 'busy')).toHaveLength(5);
    });

    it('returns the posted message to later claimers, whatever the repo name’s case', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      expect(await store.get(key)).toBeNull();
      await store.claimPost({ key, holder: run('a', '1'), now });
      expect(await store.recordPosted({ key, ts: '111.222', renderHash: 'h', now })).toEqual({ recorded: true });
      const lower = { ...key, repoFullName: 'octo-org/hello-world' };
      expect(await store.claimPost({ key: lower, holder: run('b', '2'), now })).toMatchObject({
        outcome: 'posted',
        message: { ts: '111.222', renderHash: 'h', reactions: [], deletedAt: null },
      });
    });

    it('takes over a dead run’s claim once its post would have landed, and says where to look', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      await store.claimPost({ key, holder: run('crashed', '1'), now });
      expect(await store.claimPost({ key, holder: run('next', '2'), now: after(5_000) })).toEqual({
        outcome: 'busy',
        until: after(SETTLE),
      });
      expect(await store.claimPost({ key, holder: run('next', '2'), now: after(SETTLE) })).toEqual({
        outcome: 'claimed',
        lookFor: { since: now, until: after(SETTLE) },
      });
    });

    it('forgets a claim given back with nothing sent; remembers one Slack may have made', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      await store.claimPost({ key, holder: run('a', '1'), now });
      await store.releaseClaim({ key, holder: run('a', '1'), attempt: 'not_sent', now: after(100) });
      expect(await store.get(key)).toBeNull();
      expect(await store.claimPost({ key, holder: run('a', '2'), now: after(200) })).toEqual({
        outcome: 'claimed',
        lookFor: null,
      });
      await store.releaseClaim({ key, holder: run('a', '2'), attempt: 'maybe_sent', now: after(2_000) });
      expect(await store.claimPost({ key, holder: run('a', '3'), now: after(2_000) })).toEqual({
        outcome: 'claimed',
        lookFor: { since: after(200), until: after(2_000) },
      });
    });

    it('after a post left unanswered, the next run waits for it to settle; only the holder can give a claim back', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      await store.claimPost({ key, holder: run('a', '1'), now });
      await store.releaseClaim({ key, holder: run('a', 'other-run'), attempt: 'not_sent', now: after(1_000) });
      expect(await store.claimPost({ key, holder: run('b', '2'), now: after(1_000) })).toMatchObject({
        outcome: 'busy',
      });
      await store.releaseClaim({ key, holder: run('a', '1'), attempt: 'maybe_in_flight', now: after(10_000) });
      const settled = after(10_000 + SETTLE);
      expect(await store.claimPost({ key, holder: run('b', '2'), now: after(11_000) })).toEqual({
        outcome: 'busy',
        until: settled,
      });
      expect(await store.claimPost({ key, holder: run('b', '2'), now: settled })).toEqual({
        outcome: 'claimed',
        lookFor: { since: now, until: settled },
      });
    });

    it('confirms only the current holder, and a confirmed claim given back unsent is forgotten', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      await store.claimPost({ key, holder: run('a', '1'), now });
      await store.claimPost({ key, holder: run('b', '2'), now: after(SETTLE) });
      expect(await store.confirmClaim({ key, holder: run('a', '1'), now: after(SETTLE + 1) })).toBe(false);
      expect(await store.confirmClaim({ key, holder: run('b', '2'), now: after(SETTLE + 2) })).toBe(true);
      await store.releaseClaim({ key, holder: run('b', '2'), attempt: 'not_sent', now: after(SETTLE + 3) });
      expect(await store.get(key)).toBeNull();
    });

    it('records the first ts only, and a post whose claim was given back meanwhile', async () => {
      const [store] = await makeTracked();
      const key = freshKey();
      await store.claimPost({ key, holder: run('a', '1'), now });
      await store.releaseClaimsOf({ owner: 'a', now: after(100) });
      expect(await store.recordPosted({ key, ts: '100.000001', renderHash: 'h', now })).toEqual({ recorded: true });
      expect(await store.recordPosted({ key, ts: '100.000001', renderHash: 'h', now })).toEqual({ recorded: true });
      expect(await store.recordPosted({ key, ts: '100.000002', renderHash: 'h', now })).toEqual({
        recorded: false,
        ts: '100.000001',
      });
      expect((await store.get(key))?.ts).toBe('100.000001');
    });

    it('on shutdown gives back every claim of that instance as posts that may still land, no other’s', async () => {
      const [store] = await makeTracked();
      const [k1, k2, k3] = [freshKey(), freshKey(), freshKey()];
      await store.claimPost({ key: k1, holder: run('stopping', '1'), now });
      await store.claimPost({ key: k2, holder: run('stopping', '2'), now });
      await store.claimPost({ key: k3, holder: run('staying', '3'), now });
      expect(await store.releaseClaimsOf({ owner: 'stopping', now: after(2_000) })).toBe(2);
      expect(await store.claimPost({ key: k1, holder: run('next', 'x'), now: after(3_000) })).toEqual({
        outcome: 'busy',
        until: after(2_000 + SETTLE),
      });
      expect(await store.releaseClaimsOf({ owner: 'stopping', now: after(4_000) })).toBe(0);
      expect(await store.confirmClaim({ key: k3, holder: run('staying', '3'), now: after(4_000) })).toBe(true);
    });

    it('keeps a posted message’s render hash, reactions and deletion', async () => {
      const [a, b] = await makeTracked();
      const key = freshKey();
      await a.claimPost({ key, holder: run('a', '1'), now });
      await a.recordPosted({ key, ts: '1.1', renderHash: 'h1', now });
      await b.update({ key, renderHash: 'h2', now: after(1) });
      await b.update({ key, reactions: ['tada', 'x'], now: after(2) });
      expect(await a.get(key)).toMatchObject({
        ts: '1.1',
        renderHash: 'h2',
        reactions: ['tada', 'x'],
        deletedAt: null,
      });
      await a.markDeleted({ key, reason: 'message_not_found', now: after(3) });
      expect((await b.get(key))?.deletedAt).toEqual(after(3));
    });
  });
}
