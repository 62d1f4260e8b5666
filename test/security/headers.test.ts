import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The directives of a Content-Security-Policy header, by name. */
function policy(header: string | null): Map<string, string[]> {
  const directives = (header ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0]);
  return new Map(directives.map(([name = '', ...values]) => [name, values]));
}

function expectStrictHtmlHeaders(res: Response): void {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = policy(res.headers.get('content-security-policy'));
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  // No script at all, and no inline style: nothing a markup injection could run.
  expect(csp.get('script-src')).toBeUndefined();
  expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

/** Every style a page uses must be allowed by its policy, or the browser drops it. */
async function expectStylesAllowed(t: TestApp, res: Response, html: string): Promise<void> {
  const csp = policy(res.headers.get('content-security-policy'));
  const allowed = csp.get('style-src') ?? csp.get('default-src') ?? [];
  for (const [, css] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
    expect(allowed).toContain(
      `'sha256-${createHash('sha256')
        .update(css ?? '')
        .digest('base64')}'`,
    );
  }
  expect(html).not.toMatch(/ style=/);
  for (const [, href] of html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)) {
    expect(allowed).toContain("'self'");
    const sheet = await fetch(new URL(href ?? '', t.baseUrl));
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toMatch(/^text\/css/);
  }
}

describe('security headers on every HTML page (BASE_URL http)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the landing page: strict CSP, nosniff, no-referrer, no HSTS over http, and its styles still apply', async () => {
    const res = await fetch(`${t.baseUrl}/`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expectStrictHtmlHeaders(res);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    await expectStylesAllowed(t, res, html);
  });

  it("the pages Bolt's installer answers with (a cancelled install, a refused state)", async () => {
    for (const path of ['/slack/oauth_redirect?error=access_denied&state=x', '/slack/oauth_redirect?code=c&state=s']) {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: { cookie: 'slack-app-oauth-state=other' } });
      const html = await res.text();
      expect(res.status).toBe(400);
      expectStrictHtmlHeaders(res);
      await expectStylesAllowed(t, res, html);
    }
  });

  it('the install redirect and JSON answers carry nosniff and the policy too', async () => {
    const install = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    expect(install.headers.get('x-content-type-options')).toBe('nosniff');
    expect(install.headers.get('referrer-policy')).toBe('no-referrer');
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(policy(health.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('an unknown path: a small HTML 404 page for a browser, JSON for an API client', async () => {
    const page = await fetch(`${t.baseUrl}/no/such/page`, { headers: { accept: BROWSER_ACCEPT } });
    const html = await page.text();
    expect(page.status).toBe(404);
    expectStrictHtmlHeaders(page);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<title>Page not found[^<]*<\/title>/);
    expect(html).toContain('href="/"');
    await expectStylesAllowed(t, page, html);

    for (const accept of ['application/json', '*/*']) {
      const api = await fetch(`${t.baseUrl}/no/such/page`, { headers: { accept } });
      expect(api.status).toBe(404);
      expect(await api.json()).toEqual({ error: 'not found' });
    }
  });
});

describe('HSTS when BASE_URL is https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { BASE_URL: 'https://notifier.example.com' } });
  });
  afterAll(() => t.close());

  it('every response carries Strict-Transport-Security', async () => {
    for (const path of ['/', '/healthz', '/no/such/page']) {
      const res = await fetch(`${t.baseUrl}${path}`);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    }
  });
});
