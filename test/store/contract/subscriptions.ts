import { describe, expect, it } from 'vitest';
import { NO_FILTERS, parseFilters, type RouteFilters } from '../../../src/domain/route-filters.js';
import type { Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';
import { describeSubscriptionProofContract } from './subscription-proofs.js';

const sub = (
  over: {
    workspaceId?: string;
    repoFullName?: string;
    channelId?: string;
    actor?: string;
    at?: Date;
    filters?: RouteFilters;
  } = {},
) => ({
  workspaceId: 'T1',
  repoFullName: 'Octo-Org/Hello-World',
  channelId: 'C1',
  actor: 'U1',
  at: T0,
  ...over,
});
const filters = (text: string): RouteFilters => {
  const parsed = parseFilters(text);
  if (!parsed.ok) throw new Error(`bad filters in a test: ${parsed.token}`);
  return parsed.filters;
};
/** The verified user 7, whose access proved subscriptions in T1, unlinks. */
const unlinkProver = (store: Store) =>
  store.subscriptions.suspendProvenBy({ workspaceId: 'T1', githubUserId: 7, reason: 'unlinked', actor: 'U1', at: T2 });
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
        routes: [{ channelId: 'C1', filters: NO_FILTERS, setBy: 'U1', setAt: T0 }],
      };
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toEqual(expected);
      expect(await store.subscriptions.listForWorkspace('T1')).toEqual([expected]);
      expect(await store.subscriptions.workspacesForRepo('OCTO-ORG/hello-world')).toEqual([
        {
          repoFullName: 'Octo-Org/Hello-World',
          workspaceId: 'T1',
          createdAt: T0,
          routesByLabel: false,
          subscription: expected,
        },
      ]);
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({ action: 'subscription.create', actor: 'U1', target: 'octo-org/hello-world', at: T0 }),
      ]);
    });

    it('subscribing another channel adds a route; the same channel keeps or replaces its filters', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      const frontend = filters('+label:frontend -label:wip');
      expect(
        await store.subscriptions.subscribe(sub({ channelId: 'C2', actor: 'U2', at: T1, filters: frontend })),
      ).toEqual({ outcome: 'route_added' });
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        channelId: 'C1',
        createdBy: 'U1',
        createdAt: T0,
        routes: [
          { channelId: 'C1', filters: NO_FILTERS, setBy: 'U1', setAt: T0 },
          { channelId: 'C2', filters: frontend, setBy: 'U2', setAt: T1 },
        ],
      });
      // Still one index entry per workspace: fan-out reads no more than before.
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toHaveLength(1);

      // Subscribing a channel again without filters keeps its filters; with filters, replaces them.
      expect(await store.subscriptions.subscribe(sub({ channelId: 'C2', at: T2 }))).toEqual({
        outcome: 'updated',
        previousChannelId: 'C1',
      });
      const routeOf = async (channelId: string) =>
        (await store.subscriptions.get('T1', 'octo-org/hello-world'))?.routes.find((r) => r.channelId === channelId);
      expect((await routeOf('C2'))?.filters).toEqual(frontend);
      await store.subscriptions.subscribe(sub({ channelId: 'C2', at: T2, filters: filters('base:main') }));
      expect((await routeOf('C2'))?.filters).toEqual(filters('base:main'));
      expect((await store.audit.listForWorkspace('T1')).map((e) => e.action)).toEqual([
        'subscription.update',
        'subscription.update',
        'subscription.route_add',
        'subscription.create',
      ]);
      expect((await store.audit.listForWorkspace('T1'))[2]?.details).toMatchObject({
        channel_id: 'C2',
        filters: '+label:frontend -label:wip',
      });
    });

    it('filter replaces one route’s filters, audit-logged, and says when there is no such route', async () => {
      const store = await makeStore();
      const key = { workspaceId: 'T1', repoFullName: 'octo-org/hello-world', actor: 'U3', at: T1 };
      expect(await store.subscriptions.setFilters({ ...key, channelId: 'C1', filters: NO_FILTERS })).toBe(
        'not_subscribed',
      );
      await store.subscriptions.subscribe(sub());
      await store.subscriptions.subscribe(sub({ channelId: 'C2' }));
      const unicode = filters('+label:"a, b" +label:ünïcødé bots:on');
      expect(await store.subscriptions.setFilters({ ...key, channelId: 'C1', filters: unicode })).toBe('updated');
      expect(await store.subscriptions.setFilters({ ...key, channelId: 'C9', filters: unicode })).toBe('no_route');
      const s = await store.subscriptions.get('T1', 'octo-org/hello-world');
      expect(s?.routes).toEqual([
        { channelId: 'C1', filters: unicode, setBy: 'U3', setAt: T1 },
        { channelId: 'C2', filters: NO_FILTERS, setBy: 'U1', setAt: T0 },
      ]);
      const [entry] = await store.audit.listForWorkspace('T1');
      expect(entry).toMatchObject({ action: 'subscription.filter', actor: 'U3', at: T1 });
      expect(entry?.details).toMatchObject({ channel_id: 'C1', filters: '+label:"a, b" +label:ünïcødé bots:on' });
      // Back to no filters: the route reads exactly as before.
      await store.subscriptions.setFilters({ ...key, channelId: 'C1', filters: NO_FILTERS });
      expect((await store.subscriptions.get('T1', 'octo-org/hello-world'))?.routes[0]?.filters).toEqual(NO_FILTERS);
    });

    it('unsubscribe with a channel removes only that route; the last one goes with the whole subscription', async () => {
      const store = await makeStore();
      const key = { workspaceId: 'T1', repoFullName: 'octo-org/hello-world', actor: 'U1', at: T1 };
      await store.subscriptions.subscribe(sub());
      await store.subscriptions.subscribe(sub({ channelId: 'C2', at: T1 }));
      await store.subscriptions.subscribe(sub({ channelId: 'C3', at: T2 }));
      expect(await store.subscriptions.unsubscribe({ ...key, channelId: 'C9' })).toBe(false);
      // The first channel goes: the next route takes over as the subscription's channel.
      expect(await store.subscriptions.unsubscribe({ ...key, channelId: 'C1' })).toBe(true);
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        channelId: 'C2',
        routes: [{ channelId: 'C2' }, { channelId: 'C3' }],
      });
      expect(await store.subscriptions.isOptedOut('T1', 'octo-org/hello-world')).toBe(false);
      expect(
        (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.route_remove'),
      ).toEqual([
        expect.objectContaining({ actor: 'U1', at: T1, details: expect.objectContaining({ channel_id: 'C1' }) }),
      ]);
      await store.subscriptions.unsubscribe({ ...key, channelId: 'C3' });
      expect(await store.subscriptions.unsubscribe({ ...key, channelId: 'C2' })).toBe(true);
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toBeNull();
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toEqual([]);
      expect(await store.subscriptions.isOptedOut('T1', 'octo-org/hello-world')).toBe(true);
      expect((await store.audit.listForWorkspace('T1')).map((e) => e.action)).toContain('subscription.delete');
    });

    it('unsubscribe without a channel removes every route of the workspace at once', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      await store.subscriptions.subscribe(sub({ channelId: 'C2', filters: filters('+label:x') }));
      expect(
        await store.subscriptions.unsubscribe({
          workspaceId: 'T1',
          repoFullName: 'octo-org/hello-world',
          actor: 'U1',
          at: T1,
        }),
      ).toBe(true);
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toBeNull();
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toEqual([]);
      expect((await store.audit.listForWorkspace('T1'))[0]).toMatchObject({
        action: 'subscription.delete',
        details: { channel_id: 'C1', channels: 'C1,C2' },
      });
    });

    it('the index entry carries the subscription exactly as it is, through every kind of change', async () => {
      const store = await makeStore();
      const REPO = 'octo-org/hello-world';
      const twinMatches = async () => {
        const [entry] = await store.subscriptions.workspacesForRepo(REPO);
        expect(entry?.subscription).toEqual(await store.subscriptions.get('T1', REPO));
        return entry?.subscription;
      };
      const proof = { kind: 'github_user', githubUserId: 7 } as const;
      await store.subscriptions.subscribe({ ...sub(), access: proof });
      expect(await twinMatches()).toMatchObject({ channelId: 'C1', access: proof });
      await store.subscriptions.subscribe({
        ...sub({ channelId: 'C2', filters: filters('base:main') }),
        access: proof,
      });
      expect((await twinMatches())?.routes.map((r) => r.channelId)).toEqual(['C1', 'C2']);
      await store.subscriptions.setFilters({ ...sub(), channelId: 'C2', filters: filters('author:octocat') });
      expect((await twinMatches())?.routes[1]?.filters.authors).toEqual(['octocat']);
      await store.subscriptions.removeFailedRoute({
        workspaceId: 'T1',
        repoFullName: REPO,
        channelId: 'C2',
        reason: 'is_archived',
        at: T1,
      });
      expect((await twinMatches())?.routes.map((r) => r.channelId)).toEqual(['C1']);
      const setEnabled = (enabled: boolean) =>
        store.subscriptions.setEnabled({
          workspaceId: 'T1',
          repoFullName: REPO,
          enabled,
          reason: 'channel_not_found',
          actor: 'system',
          at: T1,
        });
      await setEnabled(false);
      expect(await twinMatches()).toMatchObject({ enabled: false, disabledReason: 'channel_not_found' });
      await setEnabled(true);
      expect(await twinMatches()).toMatchObject({ enabled: true, disabledReason: null });
      await unlinkProver(store);
      expect(await twinMatches()).toMatchObject({ enabled: false, disabledReason: 'unlinked', access: proof });
      await store.subscriptions.subscribe(sub({ at: T2 }));
      expect(await twinMatches()).toMatchObject({ enabled: true, access: { kind: 'public' } });
      await store.subscriptions.suspendPublicProof({
        workspaceId: 'T1',
        repoFullName: REPO,
        reason: 'repo_private',
        actor: 'system',
        at: T2,
      });
      expect(await twinMatches()).toMatchObject({ enabled: false, disabledReason: 'repo_private' });
    });

    it("an account subscription's index entry follows its proof falling back to public", async () => {
      const store = await makeStore();
      const proof = { kind: 'github_user', githubUserId: 7 } as const;
      await store.subscriptions.subscribe({ ...sub({ repoFullName: 'octo-org/*' }), access: proof });
      await unlinkProver(store);
      const [entry] = await store.subscriptions.workspacesForRepo('octo-org/hello-world');
      expect(entry?.subscription).toMatchObject({
        repoFullName: 'octo-org/*',
        enabled: true,
        access: { kind: 'public' },
      });
      expect(entry?.subscription).toEqual(await store.subscriptions.get('T1', 'octo-org/*'));
    });

    it('the index entry says whether a route chooses PRs by label, through every change of the routes', async () => {
      const store = await makeStore();
      const byLabel = async () =>
        (await store.subscriptions.workspacesForRepo('octo-org/hello-world')).map((m) => m.routesByLabel);
      await store.subscriptions.subscribe(sub({ filters: filters('base:main') }));
      expect(await byLabel()).toEqual([false]);
      await store.subscriptions.subscribe(sub({ channelId: 'C2', filters: filters('-label:wip') }));
      expect(await byLabel()).toEqual([true]);
      await store.subscriptions.unsubscribe({ ...sub(), channelId: 'C2' });
      expect(await byLabel()).toEqual([false]);
      const setFilters = (text: string) =>
        store.subscriptions.setFilters({ ...sub(), channelId: 'C1', filters: filters(text) });
      expect(await setFilters('+label:frontend')).toBe('updated');
      expect(await byLabel()).toEqual([true]);
      expect(await setFilters('author:octocat')).toBe('updated');
      expect(await byLabel()).toEqual([false]);
      await store.subscriptions.subscribe(sub({ channelId: 'C3', filters: filters('+label:ui') }));
      expect(
        await store.subscriptions.removeFailedRoute({
          workspaceId: 'T1',
          repoFullName: 'octo-org/hello-world',
          channelId: 'C3',
          reason: 'is_archived',
          at: T1,
        }),
      ).toBe('removed');
      expect(await byLabel()).toEqual([false]);
    });

    it('a failed route is removed unless it is the last one, audit-logged by system with the reason', async () => {
      const store = await makeStore();
      const failed = (channelId: string) =>
        store.subscriptions.removeFailedRoute({
          workspaceId: 'T1',
          repoFullName: 'octo-org/hello-world',
          channelId,
          reason: 'is_archived',
          at: T1,
        });
      expect(await failed('C1')).toBe('absent');
      await store.subscriptions.subscribe(sub());
      await store.subscriptions.subscribe(sub({ channelId: 'C2' }));
      expect(await failed('C9')).toBe('absent');
      // Concurrent failures of both channels: one goes, the other is the last and stays for the caller to pause.
      expect((await Promise.all([failed('C1'), failed('C2')])).sort()).toEqual(['last', 'removed']);
      const left = await store.subscriptions.get('T1', 'octo-org/hello-world');
      expect(left?.routes).toHaveLength(1);
      expect(left).toMatchObject({ enabled: true, channelId: left?.routes[0]?.channelId });
      expect(await store.subscriptions.workspacesForRepo('octo-org/hello-world')).toHaveLength(1);
      expect(
        (await store.audit.listForWorkspace('T1')).filter((e) => e.action === 'subscription.route_remove'),
      ).toEqual([
        expect.objectContaining({
          actor: 'system',
          at: T1,
          details: expect.objectContaining({ reason: 'is_archived' }),
        }),
      ]);
    });

    it('concurrent route changes on one repo lose none of them', async () => {
      const store = await makeStore();
      await store.subscriptions.subscribe(sub());
      await Promise.all(
        ['C2', 'C3', 'C4', 'C5'].map((channelId, i) =>
          store.subscriptions.subscribe(sub({ channelId, filters: filters(`+label:l${i}`) })),
        ),
      );
      const s = await store.subscriptions.get('T1', 'octo-org/hello-world');
      expect(s?.routes.map((r) => r.channelId).sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5']);
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
        {
          repoFullName: 'octo-org/hello-world',
          workspaceId: 'T1',
          createdAt: T1,
          routesByLabel: false,
          subscription: await store.subscriptions.get('T1', 'octo-org/hello-world'),
        },
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
      // Another channel is another route: the subscription is re-enabled and keeps its first channel.
      expect(await store.subscriptions.get('T1', 'octo-org/hello-world')).toMatchObject({
        enabled: true,
        disabledReason: null,
        channelId: 'C1',
        routes: [{ channelId: 'C1' }, { channelId: 'C3' }],
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
