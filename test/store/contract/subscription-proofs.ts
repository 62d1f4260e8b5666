import { describe, expect, it } from 'vitest';
import type { AccessProof, Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';

const REPO = 'octo-org/secret';
const ALICE_PROOF: AccessProof = { kind: 'github_user', githubUserId: 1001 };
const subscribe = (
  store: Store,
  over: { workspaceId?: string; repoFullName?: string; access?: AccessProof; at?: Date } = {},
) =>
  store.subscriptions.subscribe({
    workspaceId: 'T1',
    repoFullName: REPO,
    channelId: 'C1',
    actor: 'U1',
    at: T0,
    ...over,
  });
const suspendAlice = (store: Store, over: { workspaceId?: string; at?: Date } = {}) =>
  store.subscriptions.suspendProvenBy({
    workspaceId: 'T1',
    githubUserId: 1001,
    reason: 'github_unlinked',
    actor: 'U1',
    at: T1,
    ...over,
  });

/** How each subscription proved access (public check, or a GitHub user's confirmed access), and the suspensions built on it. */
export function describeSubscriptionProofContract(makeStore: () => Store | Promise<Store>): void {
  describe('access proofs', () => {
    it('records the proof a subscribe or an auto-registration gives; the public check is the default', async () => {
      const store = await makeStore();
      await subscribe(store, { access: ALICE_PROOF });
      await subscribe(store, { repoFullName: 'octo-org/open' });
      await store.subscriptions.autoRegister({
        workspaceId: 'T1',
        repoFullName: 'octo-org/auto',
        channelId: 'C7',
        authorSlackUserId: 'U7',
        at: T0,
        access: { kind: 'github_user', githubUserId: 7 },
      });
      expect((await store.subscriptions.listForWorkspace('T1')).map((s) => [s.repoFullName, s.access])).toEqual([
        ['octo-org/auto', { kind: 'github_user', githubUserId: 7 }],
        ['octo-org/open', { kind: 'public' }],
        [REPO, ALICE_PROOF],
      ]);
      const created = (await store.audit.listForWorkspace('T1')).find((e) => e.action === 'subscription.auto_create');
      expect(created?.details).toMatchObject({ access_proof: 'github_user', access_github_user_id: 7 });
    });

    it('suspends a public-proved subscription once, and never one proved by a GitHub user', async () => {
      const store = await makeStore();
      await subscribe(store);
      await subscribe(store, { workspaceId: 'T2', access: ALICE_PROOF });
      const input = { repoFullName: REPO, reason: 'repo_private', actor: 'system', at: T1 };

      const suspended = await store.subscriptions.suspendPublicProof({ ...input, workspaceId: 'T1' });
      expect(suspended).toMatchObject({
        workspaceId: 'T1',
        enabled: false,
        disabledReason: 'repo_private',
        channelId: 'C1',
        createdBy: 'U1',
      });
      expect(await store.subscriptions.suspendPublicProof({ ...input, workspaceId: 'T1' })).toBeNull();
      expect(await store.subscriptions.suspendPublicProof({ ...input, workspaceId: 'T2' })).toBeNull();
      expect(await store.subscriptions.suspendPublicProof({ ...input, workspaceId: 'T3' })).toBeNull();

      expect(await store.subscriptions.get('T1', REPO)).toMatchObject({
        enabled: false,
        disabledReason: 'repo_private',
      });
      expect(await store.subscriptions.get('T2', REPO)).toMatchObject({ enabled: true, access: ALICE_PROOF });
      const audit = (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.disable');
      expect(audit).toEqual([expect.objectContaining({ actor: 'system', target: REPO, at: T1 })]);
      expect(audit[0]?.details).toMatchObject({ reason: 'repo_private', channel_id: 'C1', access_proof: 'public' });
    });

    it('of concurrent suspensions of one subscription, exactly one reports it', async () => {
      const store = await makeStore();
      await subscribe(store);
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          store.subscriptions.suspendPublicProof({
            workspaceId: 'T1',
            repoFullName: REPO,
            reason: 'repo_private',
            actor: 'system',
            at: T1,
          }),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(
        (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.disable'),
      ).toHaveLength(1);
    });

    it('a re-subscribe lifts the suspension and records the new proof', async () => {
      const store = await makeStore();
      await subscribe(store);
      await store.subscriptions.suspendPublicProof({
        workspaceId: 'T1',
        repoFullName: REPO,
        reason: 'repo_private',
        actor: 'system',
        at: T1,
      });
      expect(await subscribe(store, { access: ALICE_PROOF, at: T2 })).toEqual({
        outcome: 'updated',
        previousChannelId: 'C1',
      });
      expect(await store.subscriptions.get('T1', REPO)).toMatchObject({
        enabled: true,
        disabledReason: null,
        access: ALICE_PROOF,
      });
      const update = (await store.audit.listForWorkspace('T1'))[0];
      expect(update).toMatchObject({ action: 'subscription.update', at: T2 });
      expect(update?.details).toMatchObject({ access_proof: 'github_user', access_github_user_id: 1001 });
    });

    it('suspends what one GitHub user proved in one workspace, and only that', async () => {
      const store = await makeStore();
      await subscribe(store, { access: ALICE_PROOF });
      await subscribe(store, { repoFullName: 'octo-org/other-secret', access: ALICE_PROOF });
      await subscribe(store, { repoFullName: 'octo-org/bobs', access: { kind: 'github_user', githubUserId: 2002 } });
      await subscribe(store, { repoFullName: 'octo-org/open' });
      await subscribe(store, { workspaceId: 'T2', access: ALICE_PROOF });

      const suspended = await suspendAlice(store);
      expect(suspended.map((s) => [s.repoFullName, s.enabled, s.disabledReason])).toEqual([
        ['octo-org/other-secret', false, 'github_unlinked'],
        [REPO, false, 'github_unlinked'],
      ]);
      const state = Object.fromEntries(
        (await store.subscriptions.listForWorkspace('T1')).map((s) => [s.repoFullName, s.enabled]),
      );
      expect(state).toEqual({
        'octo-org/bobs': true,
        'octo-org/open': true,
        'octo-org/other-secret': false,
        [REPO]: false,
      });
      expect(await store.subscriptions.get('T2', REPO)).toMatchObject({ enabled: true });
      const disables = (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.disable');
      expect(
        disables.map((e) => [e.target, e.actor, e.details?.['reason'], e.details?.['access_github_user_id']]).sort(),
      ).toEqual([
        ['octo-org/other-secret', 'U1', 'github_unlinked', 1001],
        [REPO, 'U1', 'github_unlinked', 1001],
      ]);
      expect(await suspendAlice(store, { at: T2 })).toEqual([]);
    });
  });
}
