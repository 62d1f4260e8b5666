import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { FakeSlackPerson } from '../../dev/fakes/fake-slack-oidc.js';
import { createBrowser, type Browser } from '../../dev/local/browser.js';
import type { TestApp } from '../support/test-app.js';
import { ask, linkGitHub, startSlackSide } from './slack-test-kit.js';

/**
 * The identity link as a browser walks it (CONTRACT.md §4): the link from `/notify link` → Sign in with Slack →
 * GitHub → our callback. Every attack here is someone else's browser trying to finish another person's link.
 */
describe('GitHub identity linking (/notify link → Sign in with Slack → GitHub)', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  let clock = new Date('2030-01-01T12:00:00Z');

  /** `/notify link` run by this Slack user: the one-time link from the reply. */
  const linkFor = async (workspaceId: string, userId: string): Promise<string> => {
    const text = await ask(t, { workspaceId, userId, text: 'link' });
    return /<([^|>]+)\|/.exec(text)?.[1] ?? '';
  };
  /** A browser signed in to Slack as `person`. */
  const browserOf = (person: FakeSlackPerson): Browser => {
    const browser = createBrowser();
    browser.addCookie(t.slack.apiUrl, t.slack.signIn(person));
    return browser;
  };
  /** Opens the link and follows it through Sign in with Slack, stopping at GitHub's authorize page. */
  const throughSlack = (browser: Browser, link: string) => browser.open(link, { stopAt: [new URL(gh.url).origin] });
  /** The person approves on GitHub: GitHub sends this browser back to our callback with a code. */
  const approveOnGitHub = (browser: Browser, githubAuthorize: URL, user: { id: number; login: string }) =>
    browser.open(
      `${t.baseUrl}/github/oauth/callback?${new URLSearchParams({ code: gh.createOAuthCode(user), state: githubAuthorize.searchParams.get('state') ?? '' })}`,
    );
  const linkedUser = (workspaceId: string, userId: string) => t.deps.store.users.get(workspaceId, userId);

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide({ now: () => clock }));
    for (const workspaceId of ['TLINKA', 'TLINKB']) {
      const { botToken } = await t.installWorkspace({
        workspaceId,
        teamName: workspaceId === 'TLINKA' ? 'Acme' : 'Bravo',
      });
      t.slack.addWorkspace({
        workspaceId,
        botToken,
        users: ['UANN', 'UBEN', 'UCLEM', 'UDORA', 'UEVE', 'UFAY', 'UGUS', 'UHAL'].map((id) => ({
          id,
          name: id.slice(1).toLowerCase(),
        })),
      });
    }
  });
  afterAll(() => close());

  it('links the Slack user who asked after both sign-ins, names all three on the page, DMs them, and keeps no token', async () => {
    const link = await linkFor('TLINKA', 'UANN');
    expect(link.startsWith(`${t.baseUrl}/`)).toBe(true);
    const browser = browserOf({ workspaceId: 'TLINKA', userId: 'UANN', name: 'Ann Example' });
    const first = await browser.open(link, { stopAt: [new URL(t.slack.oidcAuthorizeUrl).origin] });
    const oidc = first.stoppedAt!;
    expect(`${oidc.origin}${oidc.pathname}`).toBe(t.slack.oidcAuthorizeUrl);
    expect(Object.fromEntries(oidc.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid',
      client_id: t.config.slack.clientId,
      redirect_uri: `${t.baseUrl}/slack/oidc/callback`,
      state: expect.any(String),
      nonce: expect.any(String),
      team: 'TLINKA',
    });
    const slackStep = await throughSlack(browser, oidc.toString());
    expect(slackStep.stoppedAt?.pathname).toBe('/login/oauth/authorize');
    expect(t.slack.callsTo('openid.connect.token')).toHaveLength(1);
    expect(t.slack.callsTo('openid.connect.userInfo')).toHaveLength(1);

    const page = await approveOnGitHub(browser, slackStep.stoppedAt!, { id: 583231, login: 'octocat' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('GitHub account @octocat is linked');
    expect(page.html).toContain('Acme (TLINKA)');
    expect(page.html).toContain('Ann Example (UANN)');
    expect(page.html).toContain('slack://open?team=TLINKA');
    await expect(linkedUser('TLINKA', 'UANN')).resolves.toMatchObject({
      githubUserId: 583231,
      githubLogin: 'octocat',
      verified: true,
    });
    const dm = t.slack.messages('TLINKA', 'DUANN');
    expect(dm).toHaveLength(1);
    expect(dm[0]?.text).toContain('@octocat');
    expect(dm[0]?.text).toContain('/notify unlink');
    const doc = await t.deps.db.collection('users').doc('TLINKA#UANN').get();
    expect(JSON.stringify(doc.data())).not.toMatch(/gho_|xoxp-/);
    expect((await t.deps.store.audit.listForWorkspace('TLINKA')).map((e) => e.action)).toContain('github.link');
    expect(await ask(t, { workspaceId: 'TLINKA', userId: 'UANN', text: 'status' })).toContain(
      '@octocat (verified, GitHub id 583231)',
    );
  });

  it("attack: another person's browser opening someone's link is refused at Sign in with Slack and links nothing", async () => {
    const victimLink = await linkFor('TLINKA', 'UBEN');
    for (const intruder of [
      { workspaceId: 'TLINKA', userId: 'UEVE' },
      { workspaceId: 'TLINKB', userId: 'UBEN' },
    ]) {
      const page = await throughSlack(browserOf(intruder), victimLink);
      if (intruder.userId === 'UEVE') {
        expect(page.status).toBe(403);
        expect(page.html).toContain('This link is for someone else');
        expect(page.stoppedAt).toBeNull();
      } else {
        // The link was spent by the first attempt: a second browser gets nothing either.
        expect(page.status).toBe(400);
      }
    }
    const fresh = await linkFor('TLINKA', 'UBEN');
    const otherWorkspace = await throughSlack(browserOf({ workspaceId: 'TLINKB', userId: 'UBEN' }), fresh);
    expect(otherWorkspace.status).toBe(403);
    await expect(linkedUser('TLINKA', 'UBEN')).resolves.toBeNull();
    await expect(linkedUser('TLINKA', 'UEVE')).resolves.toBeNull();
    await expect(linkedUser('TLINKB', 'UBEN')).resolves.toBeNull();
  });

  it("attack: the GitHub step of someone's link, completed in another person's browser, links nothing", async () => {
    // The attacker passes Sign in with Slack as themself, then sends the GitHub authorize URL to a victim, who
    // already authorized the app on GitHub and is sent straight back.
    const attacker = browserOf({ workspaceId: 'TLINKB', userId: 'UEVE' });
    const slackStep = await throughSlack(attacker, await linkFor('TLINKB', 'UEVE'));
    const victimBrowser = createBrowser();
    const page = await approveOnGitHub(victimBrowser, slackStep.stoppedAt!, { id: 9001, login: 'victim' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('different browser');
    await expect(linkedUser('TLINKB', 'UEVE')).resolves.toBeNull();
    expect(await t.deps.store.users.findVerifiedByGithubId(9001)).toEqual([]);
    // …and the spent state cannot be finished afterwards from the attacker's own browser either.
    const retry = await approveOnGitHub(attacker, slackStep.stoppedAt!, { id: 9001, login: 'victim' });
    expect(retry.status).toBe(400);
    await expect(linkedUser('TLINKB', 'UEVE')).resolves.toBeNull();
  });

  it('refuses a reused link and an expired one with a page saying so', async () => {
    const link = await linkFor('TLINKA', 'UCLEM');
    const browser = browserOf({ workspaceId: 'TLINKA', userId: 'UCLEM' });
    expect((await throughSlack(browser, link)).stoppedAt).not.toBeNull();
    const again = await throughSlack(browserOf({ workspaceId: 'TLINKA', userId: 'UCLEM' }), link);
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');

    const late = await linkFor('TLINKA', 'UCLEM');
    clock = new Date(clock.getTime() + 16 * 60 * 1000);
    const expired = await throughSlack(browserOf({ workspaceId: 'TLINKA', userId: 'UCLEM' }), late);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('expired');
    await expect(linkedUser('TLINKA', 'UCLEM')).resolves.toBeNull();
  });

  it('the query string cannot redirect the link to another user or workspace', async () => {
    const browser = browserOf({ workspaceId: 'TLINKA', userId: 'UGUS' });
    const slackStep = await throughSlack(browser, `${await linkFor('TLINKA', 'UGUS')}&user_id=UEVE&team_id=TLINKB`);
    const state = slackStep.stoppedAt!.searchParams.get('state') ?? '';
    const page = await browser.open(
      `${t.baseUrl}/github/oauth/callback?${new URLSearchParams({ code: gh.createOAuthCode({ id: 14, login: 'gus' }), state, user_id: 'UEVE', team_id: 'TLINKB' })}`,
    );
    expect(page.status).toBe(200);
    await expect(linkedUser('TLINKA', 'UGUS')).resolves.toMatchObject({ githubUserId: 14, verified: true });
    await expect(linkedUser('TLINKA', 'UEVE')).resolves.toBeNull();
    await expect(linkedUser('TLINKB', 'UEVE')).resolves.toBeNull();
  });

  it('explains a forged state, a cancelled sign-in, a refused GitHub code (4xx) and GitHub being down (502)', async () => {
    const forged = await createBrowser().open(`${t.baseUrl}/link?state=not-our-state`);
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('not issued by PR Notifier');
    expect((await createBrowser().open(`${t.baseUrl}/github/oauth/callback?code=x&state=not-our-state`)).status).toBe(
      400,
    );

    // Cancelled on Slack: Slack sends the browser back with error=access_denied.
    const cancelling = browserOf({ workspaceId: 'TLINKA', userId: 'UFAY' });
    const oidc = (
      await cancelling.open(await linkFor('TLINKA', 'UFAY'), { stopAt: [new URL(t.slack.oidcAuthorizeUrl).origin] })
    ).stoppedAt!;
    const cancelled = await cancelling.open(
      `${t.baseUrl}/slack/oidc/callback?error=access_denied&state=${oidc.searchParams.get('state') ?? ''}`,
    );
    expect(cancelled.status).toBe(400);
    expect(cancelled.html).toContain('You cancelled on Slack');

    const denying = browserOf({ workspaceId: 'TLINKA', userId: 'UFAY' });
    const githubStep = (await throughSlack(denying, await linkFor('TLINKA', 'UFAY'))).stoppedAt!;
    const denied = await denying.open(
      `${t.baseUrl}/github/oauth/callback?error=access_denied&state=${githubStep.searchParams.get('state') ?? ''}`,
    );
    expect(denied.status).toBe(400);
    expect(denied.html).toContain('You cancelled on GitHub');

    const badCode = browserOf({ workspaceId: 'TLINKA', userId: 'UFAY' });
    const badStep = (await throughSlack(badCode, await linkFor('TLINKA', 'UFAY'))).stoppedAt!;
    const refused = await badCode.open(
      `${t.baseUrl}/github/oauth/callback?code=made-up&state=${badStep.searchParams.get('state') ?? ''}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('The code passed is incorrect or expired');

    const downBrowser = browserOf({ workspaceId: 'TLINKA', userId: 'UFAY' });
    const downStep = (await throughSlack(downBrowser, await linkFor('TLINKA', 'UFAY'))).stoppedAt!;
    gh.failNext({ path: '/login/oauth/access_token', status: 503 });
    const down = await approveOnGitHub(downBrowser, downStep, { id: 15, login: 'fay' });
    expect(down.status).toBe(502);
    await expect(linkedUser('TLINKA', 'UFAY')).resolves.toBeNull();

    expect((await createBrowser().open(`${t.baseUrl}/github/oauth/callback`)).status).toBe(400);
    expect((await createBrowser().open(`${t.baseUrl}/slack/oidc/callback`)).status).toBe(400);
    expect((await createBrowser().open(`${t.baseUrl}/link`)).status).toBe(400);
  });

  it('moving a link to another GitHub account suspends the private repos the old account proved, and says so', async () => {
    expect(
      (await linkGitHub(t, gh, { workspaceId: 'TLINKB', userId: 'UGUS', github: { id: 501, login: 'gus-old' } }))
        .status,
    ).toBe(200);
    const at = new Date();
    await t.deps.store.subscriptions.subscribe({
      workspaceId: 'TLINKB',
      repoFullName: 'acme/secret',
      channelId: 'CSEC',
      actor: 'UGUS',
      at,
      access: { kind: 'github_user', githubUserId: 501 },
    });
    await t.deps.store.subscriptions.subscribe({
      workspaceId: 'TLINKB',
      repoFullName: 'acme/other',
      channelId: 'CSEC',
      actor: 'UFAY',
      at,
      access: { kind: 'github_user', githubUserId: 777 },
    });
    // Linking the same account again changes nothing.
    expect(
      (await linkGitHub(t, gh, { workspaceId: 'TLINKB', userId: 'UGUS', github: { id: 501, login: 'gus-old' } }))
        .status,
    ).toBe(200);
    expect((await t.deps.store.subscriptions.get('TLINKB', 'acme/secret'))?.enabled).toBe(true);

    expect(
      (await linkGitHub(t, gh, { workspaceId: 'TLINKB', userId: 'UGUS', github: { id: 502, login: 'gus-new' } }))
        .status,
    ).toBe(200);
    expect(await t.deps.store.subscriptions.get('TLINKB', 'acme/secret')).toMatchObject({ enabled: false });
    expect(await t.deps.store.subscriptions.get('TLINKB', 'acme/other')).toMatchObject({ enabled: true });
    const dm = t.slack.messages('TLINKB', 'DUGUS').at(-1)?.text ?? '';
    expect(dm).toContain('@gus-new');
    expect(dm).toContain('acme/secret');
    expect(dm).not.toContain('acme/other');
    const audit = await t.deps.store.audit.listForWorkspace('TLINKB');
    expect(
      audit.some((e) => e.action === 'subscription.disable' && e.target.toLowerCase().includes('acme/secret')),
    ).toBe(true);
  });

  it('a store failure while moving a link never leaves the old account proving repos for a new one', async () => {
    const hal = { workspaceId: 'TLINKB', userId: 'UHAL' };
    expect((await linkGitHub(t, gh, { ...hal, github: { id: 601, login: 'hal-old' } })).status).toBe(200);
    await t.deps.store.subscriptions.subscribe({
      workspaceId: 'TLINKB',
      repoFullName: 'acme/vault',
      channelId: 'CSEC',
      actor: 'UHAL',
      at: new Date(),
      access: { kind: 'github_user', githubUserId: 601 },
    });
    /** The store's next call of `method` fails, as Firestore does when it is unavailable. */
    const failOnce = <K extends string>(port: Record<K, unknown>, method: K) => {
      const original = port[method];
      port[method] = (() => {
        port[method] = original;
        return Promise.reject(new Error('14 UNAVAILABLE: injected'));
      }) as (typeof port)[K];
    };

    failOnce(t.deps.store.subscriptions, 'suspendProvenBy');
    const failed = await linkGitHub(t, gh, { ...hal, github: { id: 602, login: 'hal-new' } });
    expect(failed.status).toBe(500);
    expect(failed.html).toContain('Nothing was linked');
    // What the page says holds: still linked to the old account, which still proves its repo.
    expect((await t.deps.store.users.get('TLINKB', 'UHAL'))?.githubUserId).toBe(601);
    expect(await t.deps.store.subscriptions.get('TLINKB', 'acme/vault')).toMatchObject({ enabled: true });

    // Once linked, a later step's failure does not turn the result into "nothing was linked".
    const { users } = t.deps.store;
    const linkGithub = users.linkGithub;
    users.linkGithub = async (input) => {
      users.linkGithub = linkGithub;
      await linkGithub(input);
      failOnce(t.deps.store.workspaces, 'get');
    };
    const retried = await linkGitHub(t, gh, { ...hal, github: { id: 602, login: 'hal-new' } });
    expect(retried.status).toBe(200);
    expect(retried.html).toContain('hal-new');
    expect((await t.deps.store.users.get('TLINKB', 'UHAL'))?.githubUserId).toBe(602);
    expect(await t.deps.store.subscriptions.get('TLINKB', 'acme/vault')).toMatchObject({ enabled: false });
    expect(t.slack.messages('TLINKB', 'DUHAL').at(-1)?.text ?? '').toContain('acme/vault');
  });

  it('links one GitHub account in several workspaces', async () => {
    expect(
      (await linkGitHub(t, gh, { workspaceId: 'TLINKB', userId: 'UANN', github: { id: 583231, login: 'octocat' } }))
        .status,
    ).toBe(200);
    const linked = await t.deps.store.users.findVerifiedByGithubId(583231);
    expect(linked.map((u) => u.workspaceId).sort()).toEqual(['TLINKA', 'TLINKB']);
  });
});
