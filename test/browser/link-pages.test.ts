import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { FakeSlackPerson } from '../../dev/fakes/fake-slack-oidc.js';
import { checkPage, type ViewportName } from '../support/chromium.js';
import { ask } from '../slack/slack-test-kit.js';
import { linkTarget, useBrowserSide, visibleText } from './browser-kit.js';

const side = useBrowserSide();
const WORKSPACE = 'TBRLINK';

beforeAll(async () => {
  await side.t.installWorkspace({ workspaceId: WORKSPACE, teamName: 'Acme Robotics' });
});
beforeEach(() => side.browser.clearCookies());

/** `/notify link` run in Slack by this user: the one-time link from the ephemeral reply. */
async function linkFor(userId: string): Promise<string> {
  const text = await ask(side.t, { workspaceId: WORKSPACE, userId, text: 'link' });
  const link = /<([^|>]+)\|/.exec(text)?.[1];
  if (!link) throw new Error(`no link in the reply: ${text}`);
  return link;
}

/** This browser is signed in to Slack as `person` (Slack's session cookie on the fake Slack's host). */
async function signInToSlack(person: FakeSlackPerson): Promise<void> {
  const [name = '', value = ''] = side.t.slack.signIn(person).split('=');
  await side.browser.context.addCookies([{ name, value, url: new URL(side.t.slack.apiUrl).origin }]);
}

/**
 * The person answers on GitHub's authorize page, where the link sent this browser: approving sends it back to our
 * callback with a code for `github`; cancelling, with error=access_denied.
 */
async function answerOnGitHub(page: Page, answer: { approveAs: { id: number; login: string } } | 'cancel') {
  const asked = new URL(page.url());
  expect(`${asked.origin}${asked.pathname}`).toBe(`${side.gh.url}/login/oauth/authorize`);
  const back = new URL(asked.searchParams.get('redirect_uri') ?? '');
  back.searchParams.set('state', asked.searchParams.get('state') ?? '');
  if (answer === 'cancel') back.searchParams.set('error', 'access_denied');
  else back.searchParams.set('code', side.gh.createOAuthCode(answer.approveAs));
  return page.goto(back.toString());
}

describe.each<ViewportName>(['desktop', 'phone'])('linking a GitHub account at %s width', (viewport) => {
  const userId = `UADA${viewport.toUpperCase()}`;

  it('the link from Slack ends on a page naming workspace, Slack user and GitHub login, still true after a reload', async () => {
    const { t, browser } = side;
    const page = await browser.openPage(viewport);
    await signInToSlack({ workspaceId: WORKSPACE, userId, name: 'Ada Lovelace' });
    const github = { id: viewport === 'desktop' ? 4101 : 4102, login: `ada-${viewport}` };
    await page.goto(await linkFor(userId));
    await answerOnGitHub(page, { approveAs: github });

    const linked = async () => {
      const text = await visibleText(page);
      expect(text).toContain(`GitHub account @${github.login} is linked`);
      expect(text).toContain(`Slack workspace: Acme Robotics (${WORKSPACE})`);
      expect(text).toContain(`Slack user: Ada Lovelace (${userId})`);
      expect(text).toContain(`GitHub account: @${github.login} (id ${github.id})`);
      expect((await linkTarget(page, 'Open Slack')).href).toBe(`slack://open?team=${WORKSPACE}`);
    };
    await linked();
    await expect(t.deps.store.users.get(WORKSPACE, userId)).resolves.toMatchObject({
      githubUserId: github.id,
      githubLogin: github.login,
    });
    await checkPage(page, 'link-success');

    await page.reload();
    await linked();
    expect(await visibleText(page)).not.toContain('no longer works');
    // The one-time code and state are gone from the address bar and the history.
    expect(page.url()).not.toMatch(/[?&](code|state)=/);
    await page.close();
  });

  it('a link opened by someone else signed in to Slack links nothing and says whose link it is', async () => {
    const { t, browser } = side;
    const page = await browser.openPage(viewport);
    await signInToSlack({ workspaceId: WORKSPACE, userId: 'UMALLORY', name: 'Mallory' });
    const response = await page.goto(await linkFor(`UBOB${viewport.toUpperCase()}`));

    expect(response?.status()).toBe(403);
    const text = await visibleText(page);
    expect(text).toContain('This link is for someone else');
    expect(text).toContain('Nothing was linked');
    await expect(t.deps.store.users.get(WORKSPACE, `UBOB${viewport.toUpperCase()}`)).resolves.toBeNull();
    await checkPage(page, 'link-someone-else');
    await page.close();
  });

  it('cancelling on GitHub links nothing and says how to start again', async () => {
    const { t, browser } = side;
    const carol = `UCAROL${viewport.toUpperCase()}`;
    const page = await browser.openPage(viewport);
    await signInToSlack({ workspaceId: WORKSPACE, userId: carol });
    await page.goto(await linkFor(carol));
    await answerOnGitHub(page, 'cancel');

    const text = await visibleText(page);
    expect(text).toContain('GitHub access was not granted');
    expect(text).toContain('/notify link');
    expect((await t.deps.store.users.get(WORKSPACE, carol))?.githubUserId ?? null).toBeNull();
    await checkPage(page, 'link-cancelled');
    await page.close();
  });
});

describe('the link result page without a link', () => {
  it('opened in another browser, it names nobody and says how to see or make a link', async () => {
    const page = await side.browser.openPage('phone');
    const response = await page.goto(`${side.t.baseUrl}/link/linked`);
    expect(response?.status()).toBe(404);
    const text = await visibleText(page);
    expect(text).toContain('No GitHub link to show');
    expect(text).toContain('/notify status');
    expect(text).not.toContain('is linked');
    await checkPage(page, 'link-no-result');
    await page.close();
  });
});
