import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { T0, T1 } from './fixtures.js';

const subscribe = (store: Store, o: { workspaceId: string; repoFullName: string; channelId: string }) =>
  store.subscriptions.subscribe({ ...o, actor: 'U1', at: T0 });

/** Whole-account subscriptions (`owner/*`) in the same documents and index as repos', on both adapters. */
export function describeAccountSubscriptionContract(makeStore: () => Store | Promise<Store>): void {
  describe('account subscriptions', () => {
    it('one index lookup finds the workspaces of a repo and of its account, whatever the case', async () => {
      const store = await makeStore();
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'Octo-Org/*', channelId: 'CA' });
      await subscribe(store, { workspaceId: 'TB', repoFullName: 'octo-org/app', channelId: 'CB' });
      await subscribe(store, { workspaceId: 'TC', repoFullName: 'other/*', channelId: 'CC' });
      const found = await store.subscriptions.workspacesForRepo('octo-org/App');
      expect(found.map((m) => m.workspaceId).sort()).toEqual(['TA', 'TB']);
      expect((await store.subscriptions.workspacesForRepo('octo-org/new')).map((m) => m.workspaceId)).toEqual(['TA']);
    });

    it('sources: the repo’s own subscription first, then the account’s, which an opt-out of the repo leaves out', async () => {
      const store = await makeStore();
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'octo-org/*', channelId: 'CALL' });
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'octo-org/app', channelId: 'CAPP' });
      const names = async (repo: string) =>
        (await store.subscriptions.sourcesForRepo('TA', repo)).map((s) => [s.repoFullName, s.channelId]);
      expect(await names('octo-org/app')).toEqual([
        ['octo-org/app', 'CAPP'],
        ['octo-org/*', 'CALL'],
      ]);
      expect(await names('octo-org/web')).toEqual([['octo-org/*', 'CALL']]);
      expect(await store.subscriptions.sourcesForRepo('TB', 'octo-org/web')).toEqual([]);
      await store.subscriptions.unsubscribe({ workspaceId: 'TA', repoFullName: 'octo-org/web', actor: 'U1', at: T1 });
      expect(await names('octo-org/web')).toEqual([]);
      expect(await store.subscriptions.optedOutRepos('TA')).toEqual(['octo-org/web']);
      expect(await store.subscriptions.optedOutRepos('TB')).toEqual([]);
    });

    it('sources as the index named them: only those are read, so one it did not name is left out', async () => {
      const store = await makeStore();
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'octo-org/*', channelId: 'CALL' });
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'octo-org/app', channelId: 'CAPP' });
      const names = async (found: { repo: boolean; account: boolean }) =>
        (await store.subscriptions.sourcesForRepo('TA', 'octo-org/app', found)).map((s) => s.channelId);
      expect(await names({ repo: true, account: true })).toEqual(['CAPP', 'CALL']);
      expect(await names({ repo: true, account: false })).toEqual(['CAPP']);
      expect(await names({ repo: false, account: true })).toEqual(['CALL']);
      // The opt-out still holds when only the account's is named.
      await store.subscriptions.unsubscribe({ workspaceId: 'TA', repoFullName: 'octo-org/web', actor: 'U1', at: T1 });
      expect(await store.subscriptions.sourcesForRepo('TA', 'octo-org/web', { repo: false, account: true })).toEqual(
        [],
      );
    });

    it('when the proving user unlinks, an account subscription falls back to its public repos instead of pausing', async () => {
      const store = await makeStore();
      const proof = { kind: 'github_user' as const, githubUserId: 77 };
      for (const repoFullName of ['octo-org/*', 'octo-org/secret'])
        await store.subscriptions.subscribe({
          workspaceId: 'TA',
          repoFullName,
          channelId: 'CALL',
          actor: 'U1',
          at: T0,
          access: proof,
        });
      const suspended = await store.subscriptions.suspendProvenBy({
        workspaceId: 'TA',
        githubUserId: 77,
        reason: 'github_unlinked',
        actor: 'U1',
        at: T1,
      });
      expect(suspended.map((s) => s.repoFullName)).toEqual(['octo-org/secret']);
      const account = await store.subscriptions.get('TA', 'octo-org/*');
      expect(account).toMatchObject({ enabled: true, access: { kind: 'public' } });
      const audit = await store.audit.listForWorkspace('TA');
      expect(audit.find((e) => e.target === 'octo-org/*' && e.action === 'subscription.update')?.details).toMatchObject(
        {
          reason: 'github_unlinked',
          access_proof: 'public',
        },
      );
    });

    it('auto-registration leaves a repo to its account’s route in the same channel, and registers it elsewhere', async () => {
      const store = await makeStore();
      await subscribe(store, { workspaceId: 'TA', repoFullName: 'octo-org/*', channelId: 'CALL' });
      const auto = (channelId: string) =>
        store.subscriptions.autoRegister({
          workspaceId: 'TA',
          repoFullName: 'octo-org/app',
          channelId,
          authorSlackUserId: 'U7',
          at: T1,
        });
      expect(await auto('CALL')).toBe('already_subscribed');
      expect(await store.subscriptions.get('TA', 'octo-org/app')).toBeNull();
      expect(await auto('CMINE')).toBe('created');
    });
  });
}
