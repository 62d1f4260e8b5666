import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';
import { describeSubscriptionProofContract } from './subscription-proofs.js';

const sub = (
  over: { workspaceId?: string; repoFullName?: string; channelId?: string; actor?: string; at?: Date } = {},
) => ({
  workspaceId: 'T1',
  repoFullName: 'Octo-Org/Hello-World',
  channelId: 'C1',
  actor: 'U1',
  at: T0,
  ...over,
});
const auto = (over: { workspaceId?: string; channelId?: string; at?: Date } = {}) => ({
  workspaceId: 'T1',
  repoFullName: 'octo-org/hello-world',
  channelId: 'C7',
  authorSlackUserId: 'U7',
  at: T1,
  ...over,
});

export function describeSubscriptionContract(makeStore: () => Store | Promise<Store>): void {
  describe('subscriptions', () => {
    it('subscribe creates the subscription and its mapping; lookups ignore case', async () => {
      const store = await makeStore();
      expect(await store.subscriptions.subscribe(sub())).toEqual({ outcome: 'created' });

      const expected = {
        workspaceId: 'T1',
        repoFullName: 'Octo-Org/Hello-World',
        channelId: 'C1',
        enabled: true,
        createdBy: 'U1',
        createdAt: T0,
        disabledReason: null,
        access: { kind: 'public' },
      };
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toEqual(expected);
      expect(await store.subscriptions.listForWorkspace('T1')).toEqual([expected]);
      expect(await store.subscriptions.workspacesForRepo('OCTO-ORG/hello-world')).toEqual([
        { repoFullName: 'Octo-Org/Hello-World', workspaceId: 'T1', createdAt: T0 },
      ]);
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({ action: 'subscription.create', actor: 'U1', target: 'octo-org/hello-world', at: T0 }),
      ]);
    });

    it('subscribing again moves the subscription to the new channel and reports the old one', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      expect(await store.subscriptions.subscribe(sub({ channelId: 'C2', actor: 'U2', at: T1 }))).toEqual({
        outcome: 'updated',
        previousChannelId: 'C1',
      });
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        channelId: 'C2',
        createdBy: 'U1',
        createdAt: T0,
      });
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toHaveLength(1);
      expect((await store.audit.listForWorkspace('T1')).map((e) => e.action)).toEqual([
        'subscription.update',
        'subscription.create',
      ]);
    });

    it('unsubscribe removes subscription and mapping, records the opt-out, and says whether there was one', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      expect(
        await store.subscriptions.unsubscribe({
          workspaceId: 'T1',
          repoFullName: 'octo-org/HELLO-world',
          actor: 'U1',
          at: T1,
        }),
      ).toBe(true);

      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toBeNull();
      expect(await store.subscriptions.listForWorkspace('T1')).toEqual([]);
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toEqual([]);
      expect(await store.subscriptions.isOptedOut('T1', 'Octo-Org/Hello-World')).toBe(true);
      expect((await store.audit.listForWorkspace('T1')).map((e) => e.action)).toEqual([
        'subscription.delete',
        'subscription.create',
      ]);
      expect(
        await store.subscriptions.unsubscribe({
          workspaceId: 'T1',
          repoFullName: 'octo-org/hello-world',
          actor: 'U1',
          at: T2,
        }),
      ).toBe(false);
    });

    it('auto-registers once, then reports the existing subscription', async () => {
      const store = await makeStore();
      expect(await store.subscriptions.autoRegister(auto())).toBe('created');
      expect(await store.subscriptions.autoRegister(auto({ channelId: 'C8' }))).toBe('already_subscribed');

      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        channelId: 'C7',
        createdBy: 'auto',
        enabled: true,
      });
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toEqual([
        { repoFullName: 'octo-org/hello-world', workspaceId: 'T1', createdAt: T1 },
      ]);
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({ action: 'subscription.auto_create', actor: 'auto', target: 'octo-org/hello-world' }),
      ]);
    });

    it('does not auto-register after an unsubscribe, but does again after an explicit subscribe', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      await store.subscriptions.unsubscribe({
        workspaceId: 'T1',
        repoFullName: 'octo-org/hello-world',
        actor: 'U1',
        at: T1,
      });
      expect(await store.subscriptions.autoRegister(auto({ at: T2 }))).toBe('opted_out');
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toBeNull();

      await store.subscriptions.subscribe(sub({ at: T2 }));
      expect(await store.subscriptions.isOptedOut('T1', 'octo-org/hello-world')).toBe(false);
      await store.subscriptions.unsubscribe({
        workspaceId: 'T1',
        repoFullName: 'octo-org/hello-world',
        actor: 'U1',
        at: T2,
      });
      await store.subscriptions.subscribe(sub({ at: T2 }));
      expect(await store.subscriptions.autoRegister(auto({ at: T2 }))).toBe('already_subscribed');
    });

    it('an unsubscribe without a subscription still keeps auto-registration away', async () => {
      const store = await makeStore();
      expect(
        await store.subscriptions.unsubscribe({
          workspaceId: 'T1',
          repoFullName: 'octo-org/hello-world',
          actor: 'U1',
          at: T0,
        }),
      ).toBe(false);
      expect(await store.subscriptions.autoRegister(auto())).toBe('opted_out');
    });

    it('disables and re-enables a subscription with the reason, audit-logged; subscribe re-enables too', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      const key = { workspaceId: 'T1', repoFullName: 'octo-org/hello-world', actor: 'system' };
      await store.subscriptions.setEnabled({ ...key, enabled: false, reason: 'channel_not_found', at: T1 });
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        enabled: false,
        disabledReason: 'channel_not_found',
      });

      await store.subscriptions.setEnabled({ ...key, enabled: true, reason: 'workspace reinstalled', at: T2 });
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        enabled: true,
        disabledReason: null,
      });
      const audit = await store.audit.listForWorkspace('T1');
      expect(audit.map((e) => e.action)).toEqual([
        'subscription.enable',
        'subscription.disable',
        'subscription.create',
      ]);
      expect(audit[1]?.details).toMatchObject({ reason: 'channel_not_found' });

      await store.subscriptions.setEnabled({ ...key, enabled: false, reason: 'is_archived', at: T2 });
      await store.subscriptions.subscribe(sub({ channelId: 'C3', at: T2 }));
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        enabled: true,
        disabledReason: null,
        channelId: 'C3',
      });
    });

    it('setEnabled on a subscription that is gone changes nothing', async () => {
      const store = await makeStore();
      await store.subscriptions.setEnabled({
        workspaceId: 'T1',
        repoFullName: 'octo-org/gone',
        enabled: false,
        reason: 'channel_not_found',
        actor: 'system',
        at: T0,
      });
      expect(await store.subscriptions.get('T1', 'octo-org/gone')).toBeNull();
      expect(await store.subscriptions.workspacesForRepo('octo-org/gone')).toEqual([]);
    });

    it('keeps workspaces apart: each sees only its own subscriptions, the mapping lists both', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub({ workspaceId: 'TA', channelId: 'CA' }));
      await store.subscriptions.subscribe(sub({ workspaceId: 'TB', channelId: 'CB' }));
      await store.subscriptions.subscribe(sub({ workspaceId: 'TA', repoFullName: 'octo-org/other', channelId: 'CA' }));
      await store.subscriptions.unsubscribe({
        workspaceId: 'TB',
        repoFullName: 'octo-org/hello-world',
        actor: 'U1',
        at: T1,
      });

      expect((await store.subscriptions.listForWorkspace('TA')).map((s) => s.repoFullName)).toEqual([
        'Octo-Org/Hello-World',
        'octo-org/other',
      ]);
      expect(await store.subscriptions.listForWorkspace('TB')).toEqual([]);
      expect(await store.subscriptions.get('TB', 'octo-org/other')).toBeNull();
      expect(await store.subscriptions.isOptedOut('TA', 'octo-org/hello-world')).toBe(false);
      expect((await store.subscriptions.workspacesForRepo('octo-org/hello-world')).map((m) => m.workspaceId)).toEqual([
        'TA',
      ]);
      expect((await store.audit.listForWorkspace('TB')).every((e) => e.workspaceId === 'TB')).toBe(true);
      expect((await store.audit.listForWorkspace('TA')).some((e) => e.action === 'subscription.delete')).toBe(false);
    });

    it('concurrent auto-registrations of one repo create exactly one subscription', async () => {
      const store = await makeStore();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.subscriptions.autoRegister(auto({ channelId: `C${i}` }))),
      );
      expect(results.filter((r) => r === 'created')).toHaveLength(1);
      expect(results.filter((r) => r === 'already_subscribed')).toHaveLength(7);
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toHaveLength(1);
      expect(
        (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.auto_create'),
      ).toHaveLength(1);
    });

    describeSubscriptionProofContract(makeStore);
  });
}
