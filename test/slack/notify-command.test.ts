import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';
import { ask, installCommandWorkspaces, startSlackSide } from './slack-test-kit.js';

const A = 'TCMDA';
const B = 'TCMDB';

describe('/notify in an installed workspace', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const say = (text: string, user = 'UALICE', channelId = 'CGENERAL', workspaceId = A) =>
    ask(t, { workspaceId, userId: user, text, channelId });

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    await installCommandWorkspaces(t, {
      a: A,
      b: B,
      more: [{ id: 'CPRIVIN', name: 'inner-circle', isPrivate: true, botIsMember: true }],
    });
    gh.addRepo({ fullName: 'octo/public', private: false });
    gh.addRepo({
      fullName: 'octo/secret',
      private: true,
      appInstallationId: 9,
      permissions: { alice: 'write', bob: 'read' },
    });
    gh.addUser({ id: 1, login: 'alice' });
    gh.addUser({ id: 66, login: 'mallory' });
  });
  afterAll(() => close());

  it('answers help, an empty command and garbage with the usage text', async () => {
    expect(await say('')).toContain('/notify subscribe owner/repo');
    expect(await say('help')).toContain('/notify link');
    const garbage = await say('frobnicate the widgets');
    expect(garbage).toContain("I don't know `frobnicate`");
    expect(garbage).toContain('/notify help');
    expect(await say('subscribe not_a_repo')).toContain('write it as `owner/repo`');
    expect(await say('notifications maybe')).toContain('notifications on');
  });

  it('sets the default channel after checking it: joins a public one, refuses unknown, private-not-member and archived', async () => {
    expect(await say('channel <#CNOPE|nope>')).toContain("I can't find #nope");
    const privateAnswer = await say('channel <#CPRIV|secret-room>');
    expect(privateAnswer).toContain("private and I'm not in it");
    expect(privateAnswer).toContain('/invite <@UBOTA>');
    expect(await say('channel <#CARCH|old>')).toContain('archived');
    expect((await t.deps.store.users.get(A, 'UALICE'))?.defaultChannel ?? null).toBeNull();

    expect(await say('channel <#CPUB|pub>')).toContain('default channel is now <#CPUB>');
    expect(t.slack.channel(A, 'CPUB')?.botIsMember).toBe(true);
    expect((await t.deps.store.users.get(A, 'UALICE'))?.defaultChannel).toBe('CPUB');
    expect(await say('channel <#CPRIVIN|inner-circle>')).toContain('<#CPRIVIN>');
  });

  it('resolves a typed #name by listing channels, and says so when no channel has that name', async () => {
    expect(await say('channel #pub', 'UCAROL')).toContain('default channel is now <#CPUB>');
    await expect(t.deps.store.users.get(A, 'UCAROL')).resolves.toMatchObject({ defaultChannel: 'CPUB' });
    expect(await say('channel #no-such-channel', 'UCAROL')).toContain("I can't find #no-such-channel");
    await expect(t.deps.store.users.get(A, 'UCAROL')).resolves.toMatchObject({ defaultChannel: 'CPUB' });
  });

  it('subscribes a public repo for anyone, in the current channel or a named one, and lists it', async () => {
    const created = await say('subscribe octo/public', 'UDAVE');
    expect(created).toContain('`octo/public` now posts in <#CGENERAL>');
    await expect(t.deps.store.subscriptions.get(A, 'octo/public')).resolves.toMatchObject({
      channelId: 'CGENERAL',
      createdBy: 'UDAVE',
      enabled: true,
    });
    // Another channel is another route: the repo now posts in both (it used to move).
    const added = await say('subscribe https://github.com/octo/public <#CPRIVIN|inner-circle>', 'UDAVE');
    expect(added).toContain('`octo/public` now also posts in <#CPRIVIN>');
    expect(await say('list')).toContain('`octo/public` → <#CGENERAL>, <#CPRIVIN>');
  });

  it('refuses to subscribe into a channel the bot cannot post in, before writing anything', async () => {
    expect(await say('subscribe octo/public <#CPRIV|secret-room>')).toContain("private and I'm not in it");
    expect(await say('subscribe octo/public', 'UALICE', 'DALICE')).toContain('I can only post in channels');
    // Unchanged: still its two channels from the test before.
    const routes = (await t.deps.store.subscriptions.get(A, 'octo/public'))?.routes.map((r) => r.channelId);
    expect(routes).toEqual(['CGENERAL', 'CPRIVIN']);
  });

  it('lets only a verified user with access confirmed by the GitHub App subscribe a private repo', async () => {
    expect(await say('subscribe octo/secret', 'UERIN')).toContain('first link your GitHub account with `/notify link`');
    await t.deps.store.users.linkGithub({
      workspaceId: A,
      slackUserId: 'UMAL',
      githubUserId: 66,
      githubLogin: 'mallory',
      at: new Date(),
    });
    expect(await say('subscribe octo/secret', 'UMAL')).toContain('@mallory has no access to `octo/secret`');
    await expect(t.deps.store.subscriptions.get(A, 'octo/secret')).resolves.toBeNull();

    await t.deps.store.users.linkGithub({
      workspaceId: A,
      slackUserId: 'UALICE',
      githubUserId: 1,
      githubLogin: 'alice',
      at: new Date(),
    });
    const ok = await say('subscribe octo/secret');
    expect(ok).toContain('`octo/secret` now posts in <#CGENERAL>');
    expect(ok).toContain('private repository');
    expect(await say('subscribe octo/ghost')).toContain("doesn't exist, or the GitHub App isn't installed");
  });

  it('says GitHub could not be reached instead of failing', async () => {
    gh.failNext({ path: '/api/v3/repos/octo/public', status: 502 });
    expect(await say('subscribe octo/public')).toContain("I couldn't check `octo/public` with GitHub");
  });

  it('answers clearly when Slack fails mid-command, and changes nothing', async () => {
    t.slack.failNext({ method: 'conversations.info', error: 'internal_error' });
    expect(await say('channel <#CGENERAL|general>', 'UFAIL')).toContain('nothing was changed');
    await expect(t.deps.store.users.get(A, 'UFAIL')).resolves.toBeNull();
  });

  it('unsubscribes, and says so when there was nothing to remove', async () => {
    expect(await say('unsubscribe Octo/Public')).toContain('Unsubscribed: `Octo/Public` no longer posts');
    await expect(t.deps.store.subscriptions.get(A, 'octo/public')).resolves.toBeNull();
    expect(await say('unsubscribe octo/public')).toContain("wasn't subscribed");
  });

  it('switches notifications and shows everything in status', async () => {
    expect(await say('notifications off')).toContain('Notifications are off');
    expect((await t.deps.store.users.get(A, 'UALICE'))?.notificationsEnabled).toBe(false);
    const status = await say('status');
    expect(status).toContain('@alice (verified, GitHub id 1)');
    expect(status).toContain('<#CPRIVIN>');
    expect(status).toContain('*Notifications for PRs you open:* off');
    expect(status).toContain('`octo/secret` → <#CGENERAL>');
    expect(await say('notifications on')).toContain('Notifications are on');
  });

  it('link gives a one-time link to this service that starts Sign in with Slack; unlink removes the link and keeps the channel', async () => {
    const link = await say('link', 'ULINK');
    const url = /<([^|>]+)\|/.exec(link)?.[1] ?? '';
    expect(url.startsWith(`${t.baseUrl}/link?state=`)).toBe(true);
    const start = await fetch(url, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(start.headers.get('location')?.startsWith(`${t.slack.oidcAuthorizeUrl}?`)).toBe(true);
    expect(await say('unlink', 'UALICE')).toContain('unlinked');
    const alice = await t.deps.store.users.get(A, 'UALICE');
    expect(alice).toMatchObject({ githubUserId: null, verified: false, defaultChannel: 'CPRIVIN' });
    expect(await say('unlink', 'UALICE')).toContain('No GitHub account was linked');
  });

  it('keeps workspaces apart: workspace B never sees or changes workspace A', async () => {
    await say('subscribe octo/public', 'UDAVE');
    await t.deps.store.users.linkGithub({
      workspaceId: A,
      slackUserId: 'USAME',
      githubUserId: 7,
      githubLogin: 'same-a',
      at: new Date(),
    });
    const inB = (text: string) => say(text, 'USAME', 'CGENERAL', B);
    expect(await inB('list')).toContain('no subscriptions yet');
    const statusB = await inB('status');
    expect(statusB).toContain('not linked');
    expect(statusB).not.toContain('octo/public');
    expect(await inB('unsubscribe octo/public')).toContain("wasn't subscribed");
    await expect(t.deps.store.subscriptions.get(A, 'octo/public')).resolves.toMatchObject({ channelId: 'CGENERAL' });
    expect(await inB('channel <#CPUB|pub>')).toContain("I can't find #pub");
    await inB('notifications off');
    expect((await t.deps.store.users.get(A, 'USAME'))?.notificationsEnabled).toBe(true);
    const auditA = await t.deps.store.audit.listForWorkspace(A);
    expect(auditA.filter((e) => e.actor === 'USAME' && e.action !== 'github.link')).toEqual([]);
  });
});

describe('/notify subscribe without GitHub App credentials', () => {
  it('refuses private repos with the reason, still allows public ones', async () => {
    const { t, gh, close } = await startSlackSide({ withGitHubApp: false });
    try {
      await t.installWorkspace({
        workspaceId: 'TNOAPP',
        channels: [{ id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true }],
      });
      gh.addRepo({ fullName: 'octo/secret', private: true, appInstallationId: 9, permissions: { alice: 'admin' } });
      gh.addRepo({ fullName: 'octo/public', private: false });
      await t.deps.store.users.linkGithub({
        workspaceId: 'TNOAPP',
        slackUserId: 'UALICE',
        githubUserId: 1,
        githubLogin: 'alice',
        at: new Date(),
      });
      const refused = await ask(t, { workspaceId: 'TNOAPP', userId: 'UALICE', text: 'subscribe octo/secret' });
      expect(refused).toContain('no GitHub App credentials');
      expect(await ask(t, { workspaceId: 'TNOAPP', userId: 'UALICE', text: 'subscribe octo/public' })).toContain(
        'now posts in <#CGENERAL>',
      );
    } finally {
      await close();
    }
  });
});
