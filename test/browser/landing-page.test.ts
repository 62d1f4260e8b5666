import { describe, expect, it } from 'vitest';
import { checkPage, type ViewportName } from '../support/chromium.js';
import { linkTarget, useBrowserSide, visibleText } from './browser-kit.js';

const side = useBrowserSide();

describe.each<ViewportName>(['desktop', 'phone'])('the landing page at %s width', (viewport) => {
  it('says what the app does and how to start, with an Add to Slack button that starts the install', async () => {
    const page = await side.browser.openPage(viewport);
    const response = await page.goto(`${side.t.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('PR Notifier for Slack');
    const text = await visibleText(page);
    expect(text).toContain('Pull requests from GitHub, in the Slack channels where your team already works.');
    expect(text).toContain('/notify subscribe owner/repo');
    expect((await linkTarget(page, 'Add to Slack')).href).toBe(`${side.t.baseUrl}/slack/install`);
    // The stylesheet arrived (the policy allows only it): the button is a tappable button, not a bare text link.
    const box = await page.getByRole('link', { name: 'Add to Slack' }).boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(40);
    await checkPage(page, 'landing');
    await page.close();
  });
});

describe('the test browser', () => {
  it('reaches nothing but loopback', async () => {
    const page = await side.browser.openPage('desktop');
    await expect(page.goto('https://example.com/')).rejects.toThrow(/ERR_/);
    // Not through a redirect from loopback either, even to a bare IP address: Slack's consent page sends the
    // browser on to whatever redirect_uri it was given.
    side.t.slack.createOAuthCode({ workspaceId: 'TNOWHERE', botToken: 'xoxb-nowhere' });
    const consent = new URL(side.t.slack.authorizeUrl);
    consent.search = new URLSearchParams({
      client_id: side.t.config.slack.clientId,
      redirect_uri: 'http://192.0.2.1/slack/oauth_redirect',
    }).toString();
    await expect(page.goto(consent.toString())).rejects.toThrow(/ERR_/);
    // Not closed here: closing a tab that shows Chromium's proxy error page hangs; the browser's close ends it.
  });
});
