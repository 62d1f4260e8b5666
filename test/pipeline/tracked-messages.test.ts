import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimHolder, MessageKey } from '../../src/pipeline/ports.js';
import { createFirestoreTrackedMessageStore } from '../../src/store/pipeline/tracked-message-store.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('tracked');
afterAll(() => db.terminate());
const SETTLE_MS = 15_000;
const now = new Date('2024-01-01T00:00:00Z');
const after = (ms: number) => new Date(now.getTime() + ms);
const store = createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS });
const run = (owner: string, lease: string): ClaimHolder => ({ owner, token: `${owner}:${lease}` });
let prNumber = 100;
/** Each test its own PR, so the tests share nothing. */
const freshKey = (): MessageKey => ({
  workspaceId: 'T1',
  channelId: 'C1',
  repoFullName: 'Octo-Org/Hello-World',
  prNumber: (prNumber += 1),
});
const docOf = (key: MessageKey) =>
  db.collection('tracked_messages').doc(`T1#C1#octo-org%2Fhello-world#${key.prNumber}`).get();

describe('tracked messages: the right to post', () => {
  it('goes to exactly one of many concurrent claimers, from separate instances too', async () => {
    const key = { workspaceId: 'T1', channelId: 'C1', repoFullName: 'Octo-Org/Hello-World', prNumber: 4 };
    const instances = [
      createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS }),
      createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS }),
    ];
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => instances[i % 2]!.claimPost({ key, holder: run(`o${i}`, 'a'), now })),
    );
    // The first claim of a message needs no look in Slack: nobody could have posted it before.
    expect(claims.filter((c) => c.outcome === 'claimed')).toEqual([{ outcome: 'claimed', lookFor: null }]);
    expect(claims.filter((c) => c.outcome === 'busy')).toHaveLength(5);
    const doc = await db.collection('tracked_messages').doc('T1#C1#octo-org%2Fhello-world#4').get();
    expect(doc.data()).toMatchObject({
      slack_team_id: 'T1',
      channel_id: 'C1',
      repo_full_name: 'Octo-Org/Hello-World',
      pr_number: 4,
      ts: null,
    });
  });

  it('returns the posted message to later claimers', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    expect(await store.recordPosted({ key, ts: '111.222', renderHash: 'h', now })).toEqual({ recorded: true });
    expect(await store.claimPost({ key, holder: run('b', '2'), now })).toEqual({
      outcome: 'posted',
      message: { ...key, ts: '111.222', renderHash: 'h', reactions: [], deletedAt: null },
    });
    expect((await docOf(key)).data()).toMatchObject({ post_owner: null, post_instance: null, post_unsure_since: null });
  });

  it('takes over a claim whose run is gone as soon as its post would have landed, and says where to look for it', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('crashed', '1'), now });
    // The crashed run may have sent its post right after claiming; Slack may still be working on it.
    expect(await store.claimPost({ key, holder: run('next', '2'), now: after(5_000) })).toEqual({
      outcome: 'busy',
      until: after(SETTLE_MS),
    });
    // Then at once: not after a fixed minute, and with the window in which its post would be in the channel.
    expect(await store.claimPost({ key, holder: run('next', '2'), now: after(SETTLE_MS) })).toEqual({
      outcome: 'claimed',
      lookFor: { since: now, until: after(SETTLE_MS) },
    });
    expect((await docOf(key)).data()).toMatchObject({ post_owner: 'next:2', post_instance: 'next' });
  });

  it('a claim given back after a post that surely failed is forgotten: the next run claims at once and need not look', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    await store.releaseClaim({ key, holder: run('a', '1'), attempt: 'not_sent', now: after(100) });
    expect(await store.get(key)).toBeNull();
    expect(await store.claimPost({ key, holder: run('a', '2'), now: after(200) })).toEqual({
      outcome: 'claimed',
      lookFor: null,
    });
  });

  it('a claim given back after Slack failed answering a post: the next run claims at once, and looks first', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    await store.releaseClaim({ key, holder: run('a', '1'), attempt: 'maybe_sent', now: after(2_000) });
    expect(await store.claimPost({ key, holder: run('a', '2'), now: after(2_000) })).toEqual({
      outcome: 'claimed',
      lookFor: { since: now, until: after(2_000) },
    });
  });

  it('a claim given back with its post unanswered: the next run waits until that post has surely landed, then looks', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    // Only the holder can give a claim back.
    await store.releaseClaim({ key, holder: run('a', 'other-run'), attempt: 'not_sent', now: after(1_000) });
    expect((await docOf(key)).get('post_owner')).toBe('a:1');
    await store.releaseClaim({ key, holder: run('a', '1'), attempt: 'maybe_in_flight', now: after(10_000) });
    expect((await docOf(key)).data()).toMatchObject({ ts: null, post_owner: null, post_instance: null });
    const settled = after(10_000 + SETTLE_MS);
    expect(await store.claimPost({ key, holder: run('b', '2'), now: after(11_000) })).toEqual({
      outcome: 'busy',
      until: settled,
    });
    expect(await store.claimPost({ key, holder: run('b', '2'), now: settled })).toEqual({
      outcome: 'claimed',
      lookFor: { since: now, until: settled },
    });
  });

  it('confirming after a look that found nothing forgets the unsure post; a run whose claim was taken over cannot confirm', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    const claimed = await store.claimPost({ key, holder: run('b', '2'), now: after(SETTLE_MS) });
    expect(claimed).toMatchObject({ outcome: 'claimed', lookFor: { since: now } });
    expect(await store.confirmClaim({ key, holder: run('a', '1'), now: after(SETTLE_MS + 1) })).toBe(false);
    expect(await store.confirmClaim({ key, holder: run('b', '2'), now: after(SETTLE_MS + 2) })).toBe(true);
    expect((await docOf(key)).data()).toMatchObject({
      post_owner: 'b:2',
      post_unsure_since: null,
      post_unsure_until: null,
    });
    // A claim given back after that, with nothing sent, is forgotten again.
    await store.releaseClaim({ key, holder: run('b', '2'), attempt: 'not_sent', now: after(SETTLE_MS + 3) });
    expect(await store.get(key)).toBeNull();
  });

  it('records the first ts only: a second post of the same message is reported with the one that counts', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    expect(await store.recordPosted({ key, ts: '100.000001', renderHash: 'h', now })).toEqual({ recorded: true });
    expect(await store.recordPosted({ key, ts: '100.000001', renderHash: 'h', now })).toEqual({ recorded: true });
    expect(await store.recordPosted({ key, ts: '100.000002', renderHash: 'h', now })).toEqual({
      recorded: false,
      ts: '100.000001',
    });
    expect((await store.get(key))?.ts).toBe('100.000001');
  });

  it('records a post even when its claim was given back meanwhile (an instance stopping with the post in flight)', async () => {
    const key = freshKey();
    await store.claimPost({ key, holder: run('a', '1'), now });
    await store.releaseClaimsOf({ owner: 'a', now: after(100) });
    expect(await store.recordPosted({ key, ts: '100.000003', renderHash: 'h', now: after(200) })).toEqual({
      recorded: true,
    });
    expect(await store.claimPost({ key, holder: run('b', '2'), now: after(300) })).toMatchObject({
      outcome: 'posted',
      message: { ts: '100.000003' },
    });
  });

  it("on shutdown gives back every claim of that instance, as posts that may still land, and no other instance's", async () => {
    const [k1, k2, k3] = [freshKey(), freshKey(), freshKey()];
    await store.claimPost({ key: k1, holder: run('stopping', '1'), now });
    await store.claimPost({ key: k2, holder: run('stopping', '2'), now });
    await store.claimPost({ key: k3, holder: run('staying', '3'), now });
    expect(await store.releaseClaimsOf({ owner: 'stopping', now: after(2_000) })).toBe(2);
    for (const key of [k1, k2]) {
      expect((await docOf(key)).data()).toMatchObject({ post_owner: null, post_instance: null });
      // The next run waits until a post sent just before the shutdown has surely landed, then looks for it.
      expect(await store.claimPost({ key, holder: run('next', 'x'), now: after(3_000) })).toEqual({
        outcome: 'busy',
        until: after(2_000 + SETTLE_MS),
      });
    }
    expect((await docOf(k3)).get('post_owner')).toBe('staying:3');
    expect(await store.releaseClaimsOf({ owner: 'stopping', now: after(4_000) })).toBe(0);
  });

  it('reads a claim written before claims were bound to runs (owner only, no unsure window) as a run that is gone', async () => {
    const key = freshKey();
    await db.collection('tracked_messages').doc(`T1#C1#octo-org%2Fhello-world#${key.prNumber}`).set({
      slack_team_id: 'T1',
      channel_id: 'C1',
      repo_full_name: key.repoFullName,
      pr_number: key.prNumber,
      ts: null,
      render_hash: null,
      reactions: [],
      created_at: now,
      updated_at: now,
      post_owner: 'worker-old',
      post_claimed_at: now,
    });
    expect(await store.claimPost({ key, holder: run('new', '1'), now: after(SETTLE_MS) })).toEqual({
      outcome: 'claimed',
      lookFor: { since: now, until: after(SETTLE_MS) },
    });
  });
});
