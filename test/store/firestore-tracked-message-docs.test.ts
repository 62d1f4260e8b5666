import { afterAll, describe, expect, it } from 'vitest';
import type { ClaimHolder } from '../../src/pipeline/ports.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createFirestoreTrackedMessageStore } from '../../src/store/pipeline/tracked-message-store.js';
import { createTestFirestore } from '../support/firestore.js';

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
