import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimHolder } from '../../src/pipeline/ports.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createFirestoreTrackedMessageStore } from '../../src/store/pipeline/tracked-message-store.js';
import { countTransactions, createTestFirestore } from '../support/firestore.js';
import { createBatchedDocIo } from '../../src/store/firestore/doc-io.js';
import { countCommits } from '../support/commit-faults.js';

// The behaviour of tracked messages is held by the pipeline-port contract (test/store/contract/tracked-messages.ts);
// this is what only the Firestore adapter has: documents written by an older version of the app.
const { db } = createTestFirestore('tracked-docs');
afterAll(() => db.terminate());
const SETTLE_MS = 15_000;
const now = new Date('2024-01-01T00:00:00Z');
const after = (ms: number) => new Date(now.getTime() + ms);
const store = createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS });
const run = (owner: string, lease: string): ClaimHolder => ({ owner, token: `${owner}:${lease}` });
const freshKey = () => ({ workspaceId: 'T1', channelId: 'C1', repoFullName: 'Octo-Org/Hello-World', prNumber: 101 });

describe('Firestore tracked messages written by an older version', () => {
  it('reads a claim written before claims were bound to runs (owner only, no unsure window) as a run that is gone', async () => {
    const key = freshKey();
    await db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(key)).set({
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

describe('Firestore tracked messages: a claim given back with nothing sent', () => {
  it('is deleted in one batched conditional write, no transaction; the next claim creates it anew', async () => {
    const io = createBatchedDocIo(db);
    const batched = createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS, io });
    const transactions = countTransactions(db);
    const keys = [201, 202, 203].map((prNumber) => ({ ...freshKey(), prNumber }));
    const holder = run('slot-later', '1');
    for (const key of keys) expect(await batched.claimPost({ key, holder, now })).toMatchObject({ outcome: 'claimed' });
    const counted = countCommits(db);
    try {
      // The channel's posting slot was later for all three: each run gives its claim back in the same turn.
      await Promise.all(keys.map((key) => batched.releaseClaim({ key, holder, attempt: 'not_sent', now })));
    } finally {
      counted.restore();
    }
    expect(counted.commits()).toBe(1);
    expect(transactions()).toBe(0);
    for (const key of keys) expect(await batched.get(key)).toBeNull();
    expect(await batched.claimPost({ key: keys[0]!, holder: run('next', '1'), now: after(1) })).toEqual({
      outcome: 'claimed',
      lookFor: null,
    });
  });

  it('one that may have been sent, or was changed since the claim, is decided in a transaction as before', async () => {
    const io = createBatchedDocIo(db);
    const batched = createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS, io });
    const transactions = countTransactions(db);
    const [maybe, changed] = [301, 302].map((prNumber) => ({ ...freshKey(), prNumber }));
    const holder = run('posting', '1');
    await batched.claimPost({ key: maybe!, holder, now });
    await batched.claimPost({ key: changed!, holder, now });
    await batched.releaseClaim({ key: maybe!, holder, attempt: 'maybe_in_flight', now });
    expect(transactions()).toBe(1);
    // A post that may still land is remembered until it has settled.
    expect(await batched.claimPost({ key: maybe!, holder: run('next', '1'), now: after(1) })).toMatchObject({
      outcome: 'busy',
    });
    // Changed since the claim (here by hand): the conditional delete loses, and the transaction decides on it as it is.
    await db
      .collection(COLLECTIONS.trackedMessages)
      .doc(ids.trackedMessage(changed!))
      .update({ updated_at: after(1) });
    const before = transactions();
    await batched.releaseClaim({ key: changed!, holder, attempt: 'not_sent', now });
    expect(await batched.get(changed!)).toBeNull();
    expect(transactions() - before).toBe(1);
  });

  it('a release by a run that does not hold the claim leaves the holder its fast record (no transaction)', async () => {
    const io = createBatchedDocIo(db);
    const batched = createFirestoreTrackedMessageStore(db, { settleMs: SETTLE_MS, io });
    const key = { ...freshKey(), prNumber: 401 };
    const holder = run('posting', '1');
    await batched.claimPost({ key, holder, now });
    // A stale run of the same job in this process gives back a claim it does not hold: nothing changes.
    await batched.releaseClaim({ key, holder: run('stale', '1'), attempt: 'not_sent', now });
    const transactions = countTransactions(db);
    expect(await batched.recordPosted({ key, ts: '1700000000.000401', renderHash: 'h', now: after(1) })).toEqual({
      recorded: true,
    });
    expect(transactions()).toBe(0);
    expect(await batched.get(key)).toMatchObject({ ts: '1700000000.000401' });
  });
});
