import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFirestoreStore, StoreDataError } from '../../src/store/firestore/index.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db, clear } = createTestFirestore('choice-docs');
const store = createFirestoreStore(db);
const at = new Date('2024-05-01T10:00:00.000Z');
const raw = async (collection: string, id: string) => (await db.collection(collection).doc(id).get()).data();

beforeEach(() => clear());
afterAll(() => db.terminate());

describe('people’s and channels’ choices in Firestore', () => {
  it('keeps review_requests and author_news on the user document', async () => {
    await store.users.setReviewRequests({ workspaceId: 'T1', slackUserId: 'U1', delivery: 'dm', at });
    await store.users.setAuthorNews({ workspaceId: 'T1', slackUserId: 'U1', enabled: false, at });
    expect(await raw(COLLECTIONS.users, 'T1#U1')).toMatchObject({
      slack_team_id: 'T1',
      slack_user_id: 'U1',
      review_requests: 'dm',
      author_news: false,
      notifications_enabled: true,
      updated_at: Timestamp.fromDate(at),
    });
  });

  it('a user stored before these choices existed reads as thread and news on', async () => {
    await db
      .collection(COLLECTIONS.users)
      .doc('T1#UOLD')
      .set({
        slack_team_id: 'T1',
        slack_user_id: 'UOLD',
        github_user_id: 5,
        github_login: 'five',
        verified: true,
        default_channel: 'C1',
        notifications_enabled: true,
        updated_at: Timestamp.fromDate(at),
      });
    expect(await store.users.get('T1', 'UOLD')).toMatchObject({ reviewRequests: 'thread', authorNews: true });

    // Changing one choice leaves the older fields as they were.
    await store.users.setAuthorNews({ workspaceId: 'T1', slackUserId: 'UOLD', enabled: false, at });
    expect(await raw(COLLECTIONS.users, 'T1#UOLD')).toMatchObject({
      github_login: 'five',
      default_channel: 'C1',
      review_requests: 'thread',
      author_news: false,
    });
  });

  it('an unknown review_requests value is a malformed document, not a silent default', async () => {
    await db
      .collection(COLLECTIONS.users)
      .doc('T1#UBAD')
      .set({
        slack_team_id: 'T1',
        slack_user_id: 'UBAD',
        review_requests: 'email',
        updated_at: Timestamp.fromDate(at),
      });
    const failure = store.users.get('T1', 'UBAD');
    await expect(failure).rejects.toBeInstanceOf(StoreDataError);
    await expect(failure).rejects.toThrow(/users\/T1#UBAD: field "review_requests" should be one of thread, dm, off/);
  });

  it('writes channel_settings/{team}#{channel} with who changed it and when', async () => {
    await store.channelSettings.setThreads({ workspaceId: 'T1', channelId: 'C1', threads: false, actor: 'U1', at });
    expect(await raw(COLLECTIONS.channelSettings, 'T1#C1')).toEqual({
      slack_team_id: 'T1',
      channel_id: 'C1',
      threads: false,
      updated_at: Timestamp.fromDate(at),
      updated_by: 'U1',
    });
  });

  it('reads many channels’ settings in one round trip', async () => {
    await store.channelSettings.setThreads({ workspaceId: 'T1', channelId: 'C2', threads: false, actor: 'U1', at });
    const getAll = vi.spyOn(db, 'getAll');
    try {
      const settings = await store.channelSettings.get('T1', ['C1', 'C2', 'C3']);
      expect([...settings]).toEqual([
        ['C1', { threads: true }],
        ['C2', { threads: false }],
        ['C3', { threads: true }],
      ]);
      expect(getAll).toHaveBeenCalledTimes(1);
    } finally {
      getAll.mockRestore();
    }
  });
});
