import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { launchChromium, type TestChromium } from '../support/chromium.js';
import type { TestApp } from '../support/test-app.js';
import { startSlackSide } from '../slack/slack-test-kit.js';

export interface BrowserSide {
  browser: TestChromium;
  t: TestApp;
  gh: FakeGitHub;
}

/**
 * One Chromium and one test app (fake Slack, fake GitHub) for a whole test file, started in parallel by beforeAll and
 * closed by afterAll. Read the fields inside tests only.
 */
export function useBrowserSide(): BrowserSide {
  let started: (BrowserSide & { closeApp(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const [browser, app] = await Promise.allSettled([launchChromium(), startSlackSide()]);
    if (browser.status === 'fulfilled' && app.status === 'fulfilled') {
      started = { browser: browser.value, t: app.value.t, gh: app.value.gh, closeApp: app.value.close };
      return;
    }
    // Whichever half did start must not outlive the failed file.
    await Promise.allSettled([
      browser.status === 'fulfilled' ? browser.value.close() : undefined,
      app.status === 'fulfilled' ? app.value.close() : undefined,
    ]);
    throw [browser, app].find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  });
  afterAll(async () => {
    await Promise.allSettled([started?.browser.close(), started?.closeApp()]);
  });
  const get = (): BrowserSide => {
    if (!started) throw new Error('useBrowserSide: read it inside a test, after beforeAll');
    return started;
  };
  return {
    get browser() {
      return get().browser;
    },
    get t() {
      return get().t;
    },
    get gh() {
      return get().gh;
    },
  };
}

/** The text a person reads on the page (headings and paragraphs, whitespace collapsed). */
export async function visibleText(page: Page): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ');
}

/** Where a link on the page points, resolved against the page's URL. */
export async function linkTarget(page: Page, name: string): Promise<URL> {
  const link = page.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) throw new Error(`no visible link "${name}" on ${page.url()}`);
  return new URL((await link.getAttribute('href')) ?? '', page.url());
}
