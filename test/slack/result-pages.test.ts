import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app.js';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { createBrowser } from '../../dev/local/browser.js';
import { ask, beginInstall, startSlackSide } from './slack-test-kit.js';

/**
 * The result pages a finished install or identity link redirects to. Their content comes from a cookie, i.e. from
 * the browser: whatever it holds must be shown as text, and nothing else than what the flow put there.
 */
describe('install and link result pages', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  beforeAll(async () => ({ t, gh, close } = await startSlackSide()));
  afterAll(() => close());

  const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  const encode = (facts: unknown) => Buffer.from(JSON.stringify(facts)).toString('base64url');

  it('the install callback keeps the result in an HttpOnly cookie for /slack/installed only, for an hour', async () => {
    const attempt = await beginInstall(t, { workspaceId: 'TRESULT', teamName: 'Result Co', botToken: 'xoxb-result' });
    const res = await fetch(attempt.callbackUrl, { headers: { cookie: attempt.cookie }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/slack/installed');
    const cookie = cookieOf(res, 'pr_notifier_installed') ?? '';
    expect(cookie).toMatch(/; Path=\/slack\/installed;/);
    expect(cookie).toMatch(/; Max-Age=3600;/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    // Bolt's own state cookie is still cleared alongside.
    expect(
      res.headers
        .getSetCookie()
        .some((c) => c.startsWith('slack-app-oauth-state=') && /Expires=Thu, 01 Jan 1970/.test(c)),
    ).toBe(true);
    expect(JSON.stringify(res.headers.getSetCookie())).not.toContain('xoxb-result');
  });

  it('shows what a cookie says only as text: markup in it is escaped', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const install = await fetch(`${t.baseUrl}/slack/installed`, {
      headers: { cookie: `pr_notifier_installed=${encode({ workspaceId: 'T"><b>', teamName: hostile })}` },
    });
    const html = await install.text();
    expect(install.status).toBe(200);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"><b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');

    const link = await fetch(`${t.baseUrl}/link/linked`, {
      headers: {
        cookie: `pr_notifier_linked=${encode({ workspaceId: 'T1', slackUserId: 'U1', login: hostile, githubUserId: '7' })}`,
      },
    });
    expect(link.status).toBe(200);
    expect(await link.text()).not.toContain('<img');
  });

  it('a missing, garbled or incomplete cookie gets the page that shows nothing', async () => {
    for (const [path, cookie] of [
      ['/slack/installed', ''],
      ['/slack/installed', 'pr_notifier_installed=%%%not-base64'],
      ['/slack/installed', `pr_notifier_installed=${encode(['not', 'an', 'object'])}`],
      ['/link/linked', ''],
      ['/link/linked', `pr_notifier_linked=${encode({ workspaceId: 'T1', slackUserId: 'U1', login: 'x' })}`],
      [
        '/link/linked',
        `pr_notifier_linked=${encode({ workspaceId: 'T1', slackUserId: 'U1', login: 'x', githubUserId: 'x1' })}`,
      ],
    ] as const) {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
      expect(res.status, `${path} ${cookie}`).toBe(404);
      expect(await res.text()).toMatch(/No (installation|GitHub link) to show/);
    }
  });

  it('a finished link ends its link cookie and sends the browser to its result page with the result', async () => {
    const { botToken } = await t.installWorkspace({ workspaceId: 'TRESLINK', teamName: 'Link Co' });
    t.slack.addWorkspace({ workspaceId: 'TRESLINK', botToken, users: [{ id: 'URES', name: 'res' }] });
    const text = await ask(t, { workspaceId: 'TRESLINK', userId: 'URES', text: 'link' });
    const browser = createBrowser();
    browser.addCookie(t.slack.apiUrl, t.slack.signIn({ workspaceId: 'TRESLINK', userId: 'URES' }));
    const atGitHub = await browser.open(/<([^|>]+)\|/.exec(text)?.[1] ?? '', { stopAt: [new URL(gh.url).origin] });
    const state = atGitHub.stoppedAt?.searchParams.get('state') ?? '';
    expect(browser.cookie(t.baseUrl, 'pr_notifier_link')).toBeDefined();

    const code = gh.createOAuthCode({ id: 9191, login: 'result-person' });
    const callback = `${t.baseUrl}/github/oauth/callback?${new URLSearchParams({ code, state })}`;
    const done = await browser.open(callback, { stopAt: [new URL(t.baseUrl).origin] });
    expect(done.status).toBe(303);
    expect(done.stoppedAt?.pathname).toBe('/link/linked');
    expect(browser.cookie(t.baseUrl, 'pr_notifier_link')).toBeUndefined();
    expect(browser.cookie(t.baseUrl, 'pr_notifier_linked')).toBeDefined();

    const page = await browser.open(`${t.baseUrl}/link/linked`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('GitHub account @result-person is linked');
    // The spent callback itself still refuses a second use.
    expect((await browser.open(callback)).status).toBe(400);
  });
});
