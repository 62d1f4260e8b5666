import { afterAll, describe, expect, it } from 'vitest';
import { createFirestoreTrackedMessageStore } from '../../src/store/pipeline/tracked-message-store.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('tracked');
afterAll(() => db.terminate());
const key = { teamId: 'T1', channelId: 'C1', repoFullName: 'Octo-Org/Hello-World', prNumber: 4 };
const now = new Date('2024-01-01T00:00:00Z');

describe('tracked messages', () => {
  it('gives the right to post to exactly one of many concurrent claimers, from separate instances too', async () => {
    const instances = [createFirestoreTrackedMessageStore(db), createFirestoreTrackedMessageStore(db)];
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => instances[i % 2]!.claimPost({ key, owner: `o${i}`, now, staleAfterMs: 60_000 })),
    );
    expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === 'busy')).toHaveLength(5);
    const doc = await db.collection('tracked_messages').doc('T1#C1#octo-org%2Fhello-world#4').get();
    expect(doc.data()).toMatchObject({ slack_team_id: 'T1', channel_id: 'C1', repo_full_name: 'Octo-Org/Hello-World', pr_number: 4, ts: null });
  });

  it('returns the posted message to later claimers, and lets a stale claim be taken over', async () => {
    const store = createFirestoreTrackedMessageStore(db);
    await store.recordPosted({ key, ts: '111.222', renderHash: 'h', now });
    expect(await store.claimPost({ key, owner: 'late', now, staleAfterMs: 60_000 })).toEqual({
      outcome: 'posted', message: { ...key, ts: '111.222', renderHash: 'h', reactions: [], deletedAt: null },
    });
    const other = { ...key, prNumber: 5 };
    expect((await store.claimPost({ key: other, owner: 'crashed', now, staleAfterMs: 1000 })).outcome).toBe('claimed');
    expect((await store.claimPost({ key: other, owner: 'next', now: new Date(now.getTime() + 500), staleAfterMs: 1000 })).outcome).toBe('busy');
    expect((await store.claimPost({ key: other, owner: 'next', now: new Date(now.getTime() + 1000), staleAfterMs: 1000 })).outcome).toBe('claimed');
    await store.releaseClaim({ key: other, owner: 'next' });
    expect(await store.get(other)).toBeNull();
  });
});
