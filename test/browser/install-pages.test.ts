import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkPage, type ViewportName } from '../support/chromium.js';
import { linkTarget, useBrowserSide, visibleText } from './browser-kit.js';

const side = useBrowserSide();
beforeEach(() => side.browser.clearCookies());

/** From the landing page, "Add to Slack", until the browser has arrived where `until` says (after Slack's page). */
async function clickAddToSlack(page: Page, until: RegExp): Promise<void> {
  await page.goto(`${side.t.baseUrl}/`);
  await page.getByRole('link', { name: 'Add to Slack' }).click();
  await page.waitForURL(until);
}

describe.each<ViewportName>(['desktop', 'phone'])('installing from the landing page at %s width', (viewport) => {
  const workspaceId = `TBROWSER${viewport.toUpperCase()}`;

  it('Add to Slack goes through Slack and ends on a page saying it is installed, still true after a reload', async () => {
    const { t, browser } = side;
    const page = await browser.openPage(viewport);
    t.slack.createOAuthCode({ workspaceId, teamName: 'Acme Robotics', botToken: `xoxb-${workspaceId}-secret` });
    await clickAddToSlack(page, /\/slack\/installed$/);

    const success = async () => {
      expect(await visibleText(page)).toContain('PR Notifier is installed in Acme Robotics');
      expect(await visibleText(page)).toContain('/notify link');
      expect((await linkTarget(page, 'Open Slack')).href).toBe(`slack://open?team=${workspaceId}`);
      expect((await linkTarget(page, 'Open Slack in the browser')).href).toBe(
        `https://app.slack.com/client/${workspaceId}`,
      );
    };
    await success();
    await expect(t.deps.store.workspaces.get(workspaceId)).resolves.toMatchObject({
      teamName: 'Acme Robotics',
      uninstalledAt: null,
    });
    await checkPage(page, 'install-success');

    await page.reload();
    await success();
    expect(await visibleText(page)).not.toContain('Nothing was installed');
    // Nothing secret stays in the address bar or the history: the one-time code and state are gone.
    expect(page.url()).not.toMatch(/[?&](code|state)=/);
    await page.close();
  });

  it('cancelling on Slack says nothing was installed and offers to start again', async () => {
    const { t, browser } = side;
    const page = await browser.openPage(viewport);
    await clickAddToSlack(page, /\/oauth\/v2\/authorize\?/);
    // Slack's consent page; Cancel sends the browser back with error=access_denied and the same state.
    const consent = new URL(page.url());
    expect(`${consent.origin}${consent.pathname}`).toBe(t.slack.authorizeUrl);
    const back = new URL(consent.searchParams.get('redirect_uri') ?? '');
    back.search = new URLSearchParams({
      error: 'access_denied',
      state: consent.searchParams.get('state') ?? '',
    }).toString();
    const response = await page.goto(back.toString());

    expect(response?.status()).toBe(400);
    expect(await visibleText(page)).toContain('Installation cancelled');
    expect(await visibleText(page)).toContain('nothing was installed');
    expect((await linkTarget(page, 'Start the installation again')).pathname).toBe('/slack/install');
    await checkPage(page, 'install-cancelled');
    await page.close();
  });

  it('when Slack refuses the code, the page says so and nothing is stored', async () => {
    const { t, browser } = side;
    const page = await browser.openPage(viewport);
    const refusedId = `${workspaceId}REFUSED`;
    t.slack.createOAuthCode({ workspaceId: refusedId, botToken: `xoxb-${refusedId}` });
    t.slack.failNext({ method: 'oauth.v2.access', error: 'invalid_code' });
    await clickAddToSlack(page, /\/slack\/oauth_redirect\?/);

    expect(await visibleText(page)).toContain('Slack did not accept this installation link');
    expect(await visibleText(page)).toContain('Nothing was installed');
    expect((await linkTarget(page, 'Start the installation again')).pathname).toBe('/slack/install');
    await expect(t.deps.store.workspaces.get(refusedId)).resolves.toBeNull();
    await checkPage(page, 'install-refused');
    await page.close();
  });
});

describe('the install result page without an install', () => {
  it('opened in another browser, it says there is nothing to show (not a failure) and how to check or install', async () => {
    const page = await side.browser.openPage('phone');
    const response = await page.goto(`${side.t.baseUrl}/slack/installed`);
    expect(response?.status()).toBe(404);
    const text = await visibleText(page);
    expect(text).toContain('No installation to show');
    expect(text).toContain('/notify help');
    expect(text).not.toContain('Nothing was installed');
    expect((await linkTarget(page, 'Add to Slack')).pathname).toBe('/slack/install');
    await checkPage(page, 'install-no-result');
    await page.close();
  });
});
