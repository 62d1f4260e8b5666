import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db, clear } = createTestFirestore('store-proof');
const store = createFirestoreStore(db);
const at = new Date('2024-05-01T10:00:00.000Z');
const raw = async (id: string) => (await db.collection(COLLECTIONS.repos).doc(id).get()).data();

beforeEach(() => clear());
afterAll(() => db.terminate());

describe('repos documents record how access was proved (CONTRACT.md §5)', () => {
  it('writes access_proof and the numeric access_github_user_id', async () => {
    await store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: 'octo-org/secret',
      channelId: 'C1',
      actor: 'U1',
      at,
      access: { kind: 'github_user', githubUserId: 1001 },
    });
    expect(await raw('T1#octo-org%2Fsecret')).toMatchObject({
      access_proof: 'github_user',
      access_github_user_id: 1001,
    });
  });

  it('reads a subscription written before proofs existed as proved by the public check only', async () => {
    await db
      .collection(COLLECTIONS.repos)
      .doc('T1#octo-org%2Fold')
      .set({
        slack_team_id: 'T1',
        repo_full_name: 'octo-org/old',
        repo_key: 'octo-org/old',
        channel_id: 'C1',
        enabled: true,
        created_by: 'U1',
        created_at: Timestamp.fromDate(at),
        disabled_reason: null,
      });
    expect(await store.subscriptions.get('T1', 'octo-org/old')).toMatchObject({ access: { kind: 'public' } });
    // So the first private delivery suspends it.
    expect(
      await store.subscriptions.suspendPublicProof({
        workspaceId: 'T1',
        repoFullName: 'octo-org/old',
        reason: 'repo_private',
        actor: 'system',
        at,
      }),
    ).toMatchObject({ enabled: false, disabledReason: 'repo_private' });
  });

  it('refuses a github_user proof without the user id, naming the field', async () => {
    await db
      .collection(COLLECTIONS.repos)
      .doc('T1#o%2Fr')
      .set({
        slack_team_id: 'T1',
        repo_full_name: 'o/r',
        channel_id: 'C1',
        enabled: true,
        created_by: 'U1',
        created_at: Timestamp.fromDate(at),
        access_proof: 'github_user',
        access_github_user_id: null,
      });
    await expect(store.subscriptions.get('T1', 'o/r')).rejects.toThrow(
      /repos\/T1#o%2Fr: field "access_github_user_id"/,
    );
  });
});
