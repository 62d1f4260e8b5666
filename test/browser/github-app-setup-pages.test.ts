import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { checkPage, launchChromium, type TestChromium, type ViewportName } from '../support/chromium.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { visibleText } from './browser-kit.js';

/**
 * The GitHub App setup pages an operator sees on a deployment with no App yet: the token form, the page that hands
 * the manifest to GitHub, and the credentials page GitHub sends the browser back to.
 */
let browser: TestChromium;
let gh: FakeGitHub;
let log = '';

/** One app per width: each setup token creates one App. */
async function startApp(): Promise<{ t: TestApp; token: string }> {
  const before = log.length;
  const t = await createTestApp({
    env: { GITHUB_URL: gh.url, GITHUB_API_URL: gh.apiUrl, LOG_LEVEL: 'info' },
    logDestination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    }),
  });
  const token = /one-time setup token ([\w-]+)/.exec(log.slice(before))?.[1];
  if (!token) throw new Error('no setup token in the start-up log');
  return { t, token };
}

const apps: TestApp[] = [];
beforeAll(async () => {
  [browser, gh] = await Promise.all([launchChromium(), createFakeGitHub()]);
});
afterAll(async () => {
  await Promise.allSettled([browser?.close(), gh?.close(), ...apps.map((t) => t.close())]);
});

describe.each<ViewportName>(['desktop', 'phone'])('creating the GitHub App at %s width', (viewport) => {
  it('the token form, the hand-over to GitHub and the credentials page GitHub sends the browser back to', async () => {
    const { t, token } = await startApp();
    apps.push(t);
    const page = await browser.openPage(viewport);
    await page.goto(`${t.baseUrl}/github/app-setup`);
    expect(await visibleText(page)).toContain('Create the GitHub App');
    await checkPage(page, 'app-setup-start');

    await page.getByLabel('Setup token').fill(token);
    await page.getByRole('button', { name: 'Continue' }).click();
    // The form posts to the same address: wait for the next page's heading, not for a URL.
    await page.getByRole('heading', { name: 'Create the GitHub App on GitHub' }).waitFor();
    expect(await visibleText(page)).toContain('read access to pull requests and metadata');
    await checkPage(page, 'app-setup-to-github');

    // The form posts to GitHub (the page's policy allows exactly that origin), which comes back with a code.
    await page.getByRole('button', { name: 'Create the GitHub App on GitHub' }).click();
    await page.waitForURL(/\/github\/app-setup\/complete\?/);
    const created = gh.manifestApps.at(-1);
    const text = await visibleText(page);
    expect(text).toContain('GitHub App created');
    expect(text).toContain(`GITHUB_APP_ID=${created?.id}`);
    expect(text).toContain('BEGIN RSA PRIVATE KEY');
    await checkPage(page, 'app-setup-created');
    await page.close();
  });
});
