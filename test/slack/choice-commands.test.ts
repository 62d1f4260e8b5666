import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app.js';
import { ask, installCommandWorkspaces, startSlackSide } from './slack-test-kit.js';

const A = 'TCHOICEA';
const B = 'TCHOICEB';

/** `/notify reviews`, `news` and `settings` over real signed slash commands, against the fake Slack. */
describe('/notify choices for people and channels', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  const say = (text: string, o: { user?: string; channelId?: string; workspaceId?: string } = {}) =>
    ask(t, { workspaceId: o.workspaceId ?? A, userId: o.user ?? 'UANNA', text, channelId: o.channelId ?? 'CGENERAL' });
  const threadsOf = async (workspaceId: string, channelId: string) =>
    (await t.deps.store.channelSettings.get(workspaceId, [channelId])).get(channelId)?.threads;

  beforeAll(async () => {
    ({ t, close } = await startSlackSide());
    await installCommandWorkspaces(t, {
      a: A,
      b: B,
      more: [{ id: 'CLOOK', name: 'look', isPrivate: false, botIsMember: false }],
    });
  });
  afterAll(() => close());

  it('help lists the new commands', async () => {
    const help = await say('help');
    expect(help).toContain('/notify reviews thread|dm|off');
    expect(help).toContain('/notify news on|off');
    expect(help).toContain('/notify settings [#channel] [threads:on|off]');
  });

  it('a new person has review requests in the thread and news on, as status shows', async () => {
    const status = await say('status', { user: 'UNEW' });
    expect(status).toContain("*Review requests:* a mention in the pull request's thread");
    expect(status).toContain('*News about your PRs (approved, changes requested, merged):* on');
  });

  it('reviews dm and off are stored, answered with what they mean, and shown by status', async () => {
    const dm = await say('reviews dm');
    expect(dm).toContain('when someone asks for your review');
    expect(dm).toContain('a direct message');
    // Not linked yet: the answer says the choice needs the link.
    expect(dm).toContain('/notify link');
    expect((await t.deps.store.users.get(A, 'UANNA'))?.reviewRequests).toBe('dm');
    expect(await say('status')).toContain('*Review requests:* a direct message');

    expect(await say('reviews OFF')).toContain('Review requests are off');
    expect(await say('status')).toContain('*Review requests:* off');

    await t.deps.store.users.linkGithub({
      workspaceId: A,
      slackUserId: 'UANNA',
      githubUserId: 11,
      githubLogin: 'anna',
      at: new Date(),
    });
    const thread = await say('reviews thread');
    expect(thread).toContain("a mention in the pull request's thread");
    expect(thread).not.toContain('/notify link');
    expect(await t.deps.store.users.get(A, 'UANNA')).toMatchObject({ reviewRequests: 'thread', verified: true });
  });

  it('news off and on are stored and shown by status', async () => {
    expect(await say('news off')).toContain('News about your pull requests is off');
    expect((await t.deps.store.users.get(A, 'UANNA'))?.authorNews).toBe(false);
    expect(await say('status')).toContain('*News about your PRs (approved, changes requested, merged):* off');

    const on = await say('news on');
    expect(on).toContain('approved, gets changes requested or is merged');
    expect((await t.deps.store.users.get(A, 'UANNA'))?.authorNews).toBe(true);
    expect(await say('status')).toContain('*News about your PRs (approved, changes requested, merged):* on');
  });

  it('bad choices get the usage, and nothing changes', async () => {
    const answer = await say('reviews email', { user: 'UBAD' });
    expect(answer).toContain('/notify reviews thread');
    expect(answer).toContain('/notify help');
    expect(await say('settings threads:maybe', { user: 'UBAD' })).toContain('`threads:on` or `threads:off`');
    expect(await t.deps.store.users.get(A, 'UBAD')).toBeNull();
    expect(await threadsOf(A, 'CGENERAL')).toBe(true);
  });

  it('settings alone shows this channel; threads:off changes it, audit-logged, and settings then shows it', async () => {
    const before = await say('settings');
    expect(before).toContain('*Settings of <#CGENERAL>:*');
    expect(before).toContain('*Threads:* on');

    const off = await say('settings threads:off', { user: 'UBEN' });
    expect(off).toContain('Threads are now off in <#CGENERAL>');
    expect(off).toContain('stays in its message and its reactions');
    expect(await threadsOf(A, 'CGENERAL')).toBe(false);
    expect(await say('settings')).toContain('*Threads:* off');
    const audit = await t.deps.store.audit.listForWorkspace(A);
    expect(audit.find((e) => e.action === 'channel.settings')).toMatchObject({
      actor: 'UBEN',
      target: 'CGENERAL',
      details: { threads: false },
    });

    expect(await say('settings <#CGENERAL|general> threads:on')).toContain('Threads are now on in <#CGENERAL>');
    expect(await threadsOf(A, 'CGENERAL')).toBe(true);
  });

  it('a named channel is checked like subscribe’s: a public one is joined, others get a clear answer and nothing changes', async () => {
    expect(await say('settings <#CPUB|pub> threads:off')).toContain('Threads are now off in <#CPUB>');
    expect(t.slack.channel(A, 'CPUB')?.botIsMember).toBe(true);
    expect(await say('settings #pub')).toContain('*Threads:* off');

    const secret = await say('settings <#CPRIV|secret-room> threads:off');
    expect(secret).toContain("private and I'm not in it");
    expect(secret).toContain('/invite <@UBOTA>');
    expect(await say('settings <#CARCH|old> threads:off')).toContain('archived');
    expect(await say('settings #no-such-channel threads:off')).toContain("I can't find #no-such-channel");
    expect(await say('settings <#CPRIV|secret-room>')).toContain("private and I'm not in it");
    expect(await threadsOf(A, 'CPRIV')).toBe(true);
    expect(await threadsOf(A, 'CARCH')).toBe(true);
  });

  it('showing a public channel’s settings does not make the bot join it', async () => {
    expect(await say('settings #look')).toContain('*Settings of <#CLOOK>:*');
    expect(t.slack.channel(A, 'CLOOK')?.botIsMember).toBe(false);
  });

  it('in a direct message, settings must name the channel', async () => {
    expect(await say('settings threads:off', { channelId: 'DANNA' })).toContain('Settings belong to a channel');
    expect(await say('settings', { channelId: 'DANNA' })).toContain('`/notify settings #channel`');
  });

  it('answers clearly when Slack fails, and changes nothing', async () => {
    t.slack.failNext({ method: 'conversations.info', error: 'internal_error' });
    expect(await say('settings <#CGENERAL|general> threads:off')).toContain('nothing was changed');
    expect(await threadsOf(A, 'CGENERAL')).toBe(true);
  });

  it('keeps workspaces apart: workspace B’s settings and choices never change workspace A’s', async () => {
    await say('settings threads:off', { workspaceId: B, user: 'UANNA' });
    await say('reviews off', { workspaceId: B, user: 'UANNA' });
    expect(await threadsOf(B, 'CGENERAL')).toBe(false);
    expect(await threadsOf(A, 'CGENERAL')).toBe(true);
    expect((await t.deps.store.users.get(A, 'UANNA'))?.reviewRequests).toBe('thread');
    expect(await say('settings')).toContain('*Threads:* on');
  });
});
