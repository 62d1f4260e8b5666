import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';
import { createLinkedUsers } from '../../../src/pipeline/linked-users.js';

export function describeUserContract(makeStore: () => Store | Promise<Store>): void {
  describe('users', () => {
    it('an unknown user is null', async () => {
      const store = await makeStore();
      expect(await store.users.get('T1', 'U1')).toBeNull();
    });

    it('linking GitHub verifies the user, with notifications on by default, and audit-logs it', async () => {
      const store = await makeStore();
      await store.users.linkGithub({
        workspaceId: 'T1',
        slackUserId: 'U1',
        githubUserId: 583231,
        githubLogin: 'octocat',
        at: T0,
      });

      expect(await store.users.get('T1', 'U1')).toEqual({
        workspaceId: 'T1',
        slackUserId: 'U1',
        githubUserId: 583231,
        githubLogin: 'octocat',
        verified: true,
        defaultChannel: null,
        notificationsEnabled: true,
        reviewRequests: 'thread',
        authorNews: true,
        updatedAt: T0,
      });
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({ action: 'github.link', actor: 'U1', target: 'octocat', at: T0 }),
      ]);
    });

    it('unlinking removes the identity but keeps the default channel; a second unlink reports nothing linked', async () => {
      const store = await makeStore();
      await store.users.setDefaultChannel({ workspaceId: 'T1', slackUserId: 'U1', channelId: 'C1', at: T0 });
      await store.users.linkGithub({
        workspaceId: 'T1',
        slackUserId: 'U1',
        githubUserId: 7,
        githubLogin: 'seven',
        at: T0,
      });

      expect(await store.users.unlinkGithub({ workspaceId: 'T1', slackUserId: 'U1', at: T1 })).toBe(true);
      expect(await store.users.get('T1', 'U1')).toMatchObject({
        githubUserId: null,
        githubLogin: null,
        verified: false,
        defaultChannel: 'C1',
        updatedAt: T1,
      });
      expect(await store.users.unlinkGithub({ workspaceId: 'T1', slackUserId: 'U1', at: T2 })).toBe(false);
      expect(await store.users.unlinkGithub({ workspaceId: 'T1', slackUserId: 'U-never', at: T2 })).toBe(false);
      expect((await store.audit.listForWorkspace('T1')).map((e) => e.action)).toEqual(['github.unlink', 'github.link']);
      expect(await store.users.findVerifiedByGithubId(7)).toEqual([]);
    });

    it('sets the default channel and notifications on a user seen for the first time', async () => {
      const store = await makeStore();
      await store.users.setNotifications({ workspaceId: 'T1', slackUserId: 'U2', enabled: false, at: T0 });
      await store.users.setDefaultChannel({ workspaceId: 'T1', slackUserId: 'U3', channelId: 'C9', at: T1 });

      expect(await store.users.get('T1', 'U2')).toMatchObject({
        notificationsEnabled: false,
        defaultChannel: null,
        verified: false,
      });
      expect(await store.users.get('T1', 'U3')).toMatchObject({
        notificationsEnabled: true,
        defaultChannel: 'C9',
        updatedAt: T1,
      });
      await store.users.setNotifications({ workspaceId: 'T1', slackUserId: 'U2', enabled: true, at: T1 });
      expect(await store.users.get('T1', 'U2')).toMatchObject({ notificationsEnabled: true });
    });

    it('review requests default to the thread and author news to on; each is set on a user seen for the first time', async () => {
      const store = await makeStore();
      await store.users.setReviewRequests({ workspaceId: 'T1', slackUserId: 'U4', delivery: 'dm', at: T0 });
      await store.users.setAuthorNews({ workspaceId: 'T1', slackUserId: 'U5', enabled: false, at: T1 });

      expect(await store.users.get('T1', 'U4')).toMatchObject({
        reviewRequests: 'dm',
        authorNews: true,
        notificationsEnabled: true,
        verified: false,
        updatedAt: T0,
      });
      expect(await store.users.get('T1', 'U5')).toMatchObject({
        reviewRequests: 'thread',
        authorNews: false,
        updatedAt: T1,
      });
    });

    it('changing one choice keeps the link and every other choice', async () => {
      const store = await makeStore();
      await store.users.linkGithub({
        workspaceId: 'T1',
        slackUserId: 'U1',
        githubUserId: 8,
        githubLogin: 'eight',
        at: T0,
      });
      await store.users.setNotifications({ workspaceId: 'T1', slackUserId: 'U1', enabled: false, at: T0 });
      await store.users.setReviewRequests({ workspaceId: 'T1', slackUserId: 'U1', delivery: 'off', at: T1 });
      await store.users.setAuthorNews({ workspaceId: 'T1', slackUserId: 'U1', enabled: false, at: T1 });
      await store.users.setReviewRequests({ workspaceId: 'T1', slackUserId: 'U1', delivery: 'thread', at: T2 });

      expect(await store.users.get('T1', 'U1')).toMatchObject({
        githubUserId: 8,
        githubLogin: 'eight',
        verified: true,
        notificationsEnabled: false,
        reviewRequests: 'thread',
        authorNews: false,
        updatedAt: T2,
      });
      expect(await createLinkedUsers(store.users).findInWorkspaceByGithubId('T1', 8)).toMatchObject({
        reviewRequests: 'thread',
        authorNews: false,
      });
      expect(await store.users.get('T2', 'U1')).toBeNull();
    });

    it('finds verified users by GitHub id across workspaces, and only within one when asked', async () => {
      const store = await makeStore();
      await store.users.linkGithub({
        workspaceId: 'TA',
        slackUserId: 'UA',
        githubUserId: 42,
        githubLogin: 'dev',
        at: T0,
      });
      await store.users.linkGithub({
        workspaceId: 'TB',
        slackUserId: 'UB',
        githubUserId: 42,
        githubLogin: 'dev',
        at: T0,
      });
      await store.users.linkGithub({
        workspaceId: 'TA',
        slackUserId: 'UX',
        githubUserId: 43,
        githubLogin: 'other',
        at: T0,
      });

      const found = await store.users.findVerifiedByGithubId(42);
      expect(found.map((u) => `${u.workspaceId}/${u.slackUserId}`).sort()).toEqual(['TA/UA', 'TB/UB']);
      expect(await createLinkedUsers(store.users).findInWorkspaceByGithubId('TB', 42)).toMatchObject({
        workspaceId: 'TB',
        slackUserId: 'UB',
      });
      expect(await createLinkedUsers(store.users).findInWorkspaceByGithubId('TC', 42)).toBeNull();
    });

    it('team B never sees team A’s users or their audit entries', async () => {
      const store = await makeStore();
      await store.users.linkGithub({
        workspaceId: 'TA',
        slackUserId: 'U1',
        githubUserId: 5,
        githubLogin: 'five',
        at: T0,
      });

      expect(await store.users.get('TB', 'U1')).toBeNull();
      expect(await createLinkedUsers(store.users).findInWorkspaceByGithubId('TB', 5)).toBeNull();
      expect(await store.audit.listForWorkspace('TB')).toEqual([]);
    });
  });
}
