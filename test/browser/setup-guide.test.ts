import { describe, expect, it } from 'vitest';
import { buildAppManifest } from '../../src/github-app-setup/app-manifest.js';
import { buildSlackManifest } from '../../src/slack/manifest.js';
import { checkPage, type ViewportName } from '../support/chromium.js';
import { linkTarget, useBrowserSide, visibleText } from './browser-kit.js';

const side = useBrowserSide();

interface SlackManifestUrls {
  features: { slash_commands: Array<{ url: string }> };
  oauth_config: { redirect_urls: string[] };
  settings: { event_subscriptions: { request_url: string }; interactivity: { request_url: string } };
}

describe.each<ViewportName>(['desktop', 'phone'])('the set-up guide at %s width', (viewport) => {
  it('is linked from the landing page and gives every URL the Slack and GitHub manifests register here', async () => {
    const base = side.t.baseUrl;
    const page = await side.browser.openPage(viewport);
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'set-up guide' }).click();
    await page.waitForURL(`${base}/setup`);
    expect(await page.title()).toBe('Set-up guide · PR Notifier');
    const text = await visibleText(page);

    const slack = buildSlackManifest({ baseUrl: base, command: '/notify' }) as unknown as SlackManifestUrls;
    const github = buildAppManifest({ baseUrl: base, name: 'PR Notifier' });
    const urls = [
      slack.features.slash_commands[0]!.url,
      slack.settings.event_subscriptions.request_url,
      slack.settings.interactivity.request_url,
      ...slack.oauth_config.redirect_urls,
      github.hook_attributes.url,
      ...github.callback_urls,
    ];
    for (const url of urls) expect(text).toContain(url);
    for (const event of github.default_events) expect(text).toContain(event);
    expect(text).toContain(`npm run manifest -- --base-url ${base}`);
    expect((await linkTarget(page, 'the GitHub App set-up page')).href).toBe(`${base}/github/app-setup`);
    await checkPage(page, 'setup');
    await page.close();
  });
});
