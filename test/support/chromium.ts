import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { toRecord } from '../../src/shared/json-reader.js';

/**
 * Debian's Chromium driven through playwright-core, for tests of the real pages. No browser is downloaded, the
 * profile is a fresh temp dir removed on close, and every request to anything but loopback is aborted: the pages
 * under test only talk to the test app, the fake Slack and the fake GitHub.
 */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export interface TestChromium {
  context: BrowserContext;
  /** A new tab at the given width. */
  openPage(viewport: ViewportName): Promise<Page>;
  /** Forget every cookie, so the next flow starts as a new visitor. */
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // Playwright's request filter (below) does not see where a redirect leads, so the browser itself can reach only
  // loopback: everything else goes to a proxy that is not there (loopback bypasses proxies), and no name resolves.
  '--proxy-server=http://127.0.0.1:9',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function launchChromium(options: { executablePath?: string } = {}): Promise<TestChromium> {
  const executablePath = options.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  const profileDir = await mkdtemp(join(tmpdir(), 'pr-notifier-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORTS.desktop,
      timeout: 30_000,
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw new Error(`could not start Chromium at ${executablePath} (set CHROMIUM_PATH, or apt-get install chromium)`, {
      cause: error,
    });
  }
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const local = (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
    await (local ? route.continue() : route.abort('blockedbyclient'));
  });
  return {
    context,
    async openPage(viewport) {
      const page = await context.newPage();
      await page.setViewportSize(VIEWPORTS[viewport]);
      return page;
    },
    clearCookies: () => context.clearCookies(),
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/** Runs axe-core inside the page and returns its violations (all impacts). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Injected through the debugging protocol, so the pages' Content-Security-Policy does not block it.
  await page.evaluate(axe.source);
  const result: unknown = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })');
  const violations = toRecord(result)['violations'];
  if (!Array.isArray(violations)) throw new Error('axe-core returned no violations list');
  return violations.map((raw: unknown) => {
    const v = toRecord(raw);
    const nodes: unknown[] = Array.isArray(v['nodes']) ? v['nodes'] : [];
    return {
      id: String(v['id']),
      impact: String(v['impact']),
      help: String(v['help']),
      targets: nodes.map((n) => {
        const target = toRecord(n)['target'];
        return Array.isArray(target) ? target.map(String).join(' ') : '';
      }),
    };
  });
}

/** Fails with a readable list when axe finds a serious or critical violation on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  const blocking = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length === 0) return;
  const lines = blocking.map((v) => `- ${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
  throw new Error(`accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
}

const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'screenshots');

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>-<width>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Fails when the page is wider than the window, i.e. a phone would have to scroll sideways to read it. */
export async function expectFitsWidth(page: Page): Promise<void> {
  const scrollWidth: unknown = await page.evaluate('document.documentElement.scrollWidth');
  const width = page.viewportSize()?.width ?? 0;
  if (typeof scrollWidth !== 'number' || scrollWidth > width)
    throw new Error(`${page.url()} is ${String(scrollWidth)}px wide in a ${width}px window`);
}

/** Accessibility, width and a screenshot in one step: the end of every page a browser test looks at. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  await expectAccessible(page);
  await expectFitsWidth(page);
}
