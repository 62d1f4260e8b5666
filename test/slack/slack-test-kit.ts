import { expect } from 'vitest';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { fakeGitHubEnv } from '../../dev/fakes/product-env.js';
import { createSlackActors } from '../../dev/local/slack-actors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import type { FakeChannel } from '../../dev/fakes/fake-slack.js';

/*
 * What Slack shows, read from the fake (`t.slack`): `messages(team, channel)` is the channel without thread replies,
 * `repliesOf(team, channel, parentTs)` a thread's replies, `dmsTo(team, userId)` the app's DMs to a person (each with
 * text, blocks, metadata and reactions). The fake GitHub defines teams with `gh.addOrg` / `gh.addTeam`.
 */

/** The app on loopback, wired to fake Slack and fake GitHub (with GitHub App credentials unless told not to). */
export async function startSlackSide(
  options: { withGitHubApp?: boolean; now?: () => Date } = {},
): Promise<{ t: TestApp; gh: FakeGitHub; close(): Promise<void> }> {
  const gh = await createFakeGitHub();
  const env = fakeGitHubEnv(gh, { oauth: true, app: options.withGitHubApp !== false });
  const t = await createTestApp({ env, ...(options.now ? { now: options.now } : {}) });
  return {
    t,
    gh,
    close: async () => {
      await t.close();
      await gh.close();
    },
  };
}

export interface InstallAttempt {
  /** The authorize URL /slack/install sent the browser to. */
  authorizeUrl: URL;
  /** The redirect Slack sent back (with code and state). */
  callbackUrl: string;
  cookie: string;
}

/** A browser going through /slack/install and Slack's consent page, stopping before our redirect URL. */
export async function beginInstall(
  t: TestApp,
  grant: Parameters<TestApp['slack']['createOAuthCode']>[0],
): Promise<InstallAttempt> {
  const start = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location') ?? '');
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  t.slack.createOAuthCode(grant);
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return { authorizeUrl, callbackUrl: consent.headers.get('location') ?? '', cookie };
}

export async function finishInstall(attempt: InstallAttempt): Promise<{ status: number; html: string }> {
  const res = await fetch(attempt.callbackUrl, { headers: { cookie: attempt.cookie }, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 303 || location === null) return { status: res.status, html: await res.text() };
  // A finished install sends the browser to its result page, the result in a cookie for that page.
  await res.body?.cancel();
  const result = res.headers.getSetCookie().find((c) => c.startsWith('pr_notifier_installed='));
  const page = await fetch(new URL(location, attempt.callbackUrl), {
    headers: { cookie: result?.split(';')[0] ?? '' },
  });
  return { status: page.status, html: await page.text() };
}

export async function installViaOAuth(
  t: TestApp,
  grant: Parameters<TestApp['slack']['createOAuthCode']>[0],
): Promise<{ status: number; html: string }> {
  return finishInstall(await beginInstall(t, grant));
}

/**
 * The two workspaces the command tests type in: `a` (bot UBOTA) with #general (bot in it), #pub (bot not in it),
 * private #secret-room (bot not in it), archived #old and `more`; `b` with a #general of its own (the same channel
 * id, another workspace).
 */
export async function installCommandWorkspaces(
  t: TestApp,
  o: { a: string; b: string; more: FakeChannel[] },
): Promise<void> {
  await t.installWorkspace({
    workspaceId: o.a,
    botUserId: 'UBOTA',
    channels: [
      { id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true },
      { id: 'CPUB', name: 'pub', isPrivate: false, botIsMember: false },
      { id: 'CPRIV', name: 'secret-room', isPrivate: true, botIsMember: false },
      { id: 'CARCH', name: 'old', isPrivate: false, botIsMember: false, archived: true },
      ...o.more,
    ],
  });
  await t.installWorkspace({
    workspaceId: o.b,
    channels: [{ id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true }],
  });
}

/** The text of the one ephemeral reply to a slash command (asserting it was ephemeral and not a 5xx). */
export async function ask(
  t: TestApp,
  c: { workspaceId: string; userId: string; text: string; channelId?: string },
): Promise<string> {
  const res = await t.slashCommand(c);
  expect(res.status).toBe(200);
  expect(res.replies).toHaveLength(1);
  expect(res.replies[0]?.['response_type']).toBe('ephemeral');
  return String(res.replies[0]?.['text']);
}

/**
 * The whole identity link as the person would do it: `/notify link`, open the link in a browser signed in to Slack as
 * that person, approve on GitHub as `github`. Returns the final page.
 */
export async function linkGitHub(
  t: TestApp,
  gh: FakeGitHub,
  p: { workspaceId: string; userId: string; github: { id: number; login: string } },
): Promise<{ status: number; html: string }> {
  const actors = createSlackActors({
    appUrl: t.baseUrl,
    slack: t.slack,
    signingSecret: t.config.slack.signingSecret,
  });
  const person = { workspaceId: p.workspaceId, userId: p.userId };
  const page = await actors.linkGitHub({ person, channelId: 'CGENERAL', github: p.github, localGitHub: gh });
  if (!page.reachedGitHub)
    throw new Error(`the link did not reach GitHub (${page.status}): ${page.html.slice(0, 300)}`);
  return { status: page.status, html: page.html };
}
