import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { spawnServer, SERVER_ENV, waitForHttp, type SpawnedServer } from '../support/spawn-server.js';
import { fakeGitHubEnv } from '../../dev/fakes/product-env.js';

/**
 * The GitHub App manifest flow as an operator goes through it: the real server (`npm start`), its start-up log,
 * a browser that keeps cookies, and the fake GitHub standing in for github.com's "new App" page and API.
 */
let github: FakeGitHub;
const running: SpawnedServer[] = [];
beforeAll(async () => {
  github = await createFakeGitHub();
});
afterAll(() => github.close());
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

async function startServer(extra: Record<string, string> = {}): Promise<SpawnedServer> {
  const server = await spawnServer({
    ...SERVER_ENV,
    FIRESTORE_EMULATOR_HOST: emulatorHost(),
    GOOGLE_CLOUD_PROJECT: 'app-setup-test',
    ...fakeGitHubEnv(github),
    ...extra,
  });
  running.push(server);
  await waitForHttp(server, '/healthz');
  return server;
}

/** The token the start-up log shows: the log line can reach this process after the server already answers HTTP. */
async function setupTokenFrom(server: SpawnedServer): Promise<string> {
  let token = '';
  await eventually(() => {
    const match = /one-time setup token ([\w-]+)/.exec(server.output());
    if (!match) throw new Error(`no setup token in the start-up log:\n${server.output()}`);
    token = match[1]!;
  });
  return token;
}

const unescape = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The bits of a browser this flow needs: a cookie jar for our origin, forms posted as a browser posts them. */
function createBrowser(baseUrl: string) {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!.trim(), value.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    async get(url: string) {
      const res = await fetch(url, { headers: { cookie: cookieHeader(), accept: 'text/html' }, redirect: 'manual' });
      keep(res);
      return res;
    },
    async postForm(url: string, fields: Record<string, string>) {
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      };
      if (url.startsWith(baseUrl)) headers['cookie'] = cookieHeader();
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      if (url.startsWith(baseUrl)) keep(res);
      return res;
    },
  };
}

/** Our start form, then the page holding the form to GitHub; returns what that page asks the browser to post. */
async function startFlow(options: {
  server: SpawnedServer;
  browser: ReturnType<typeof createBrowser>;
  token: string;
  org?: string;
}) {
  const res = await options.browser.postForm(`${options.server.baseUrl}/github/app-setup`, {
    token: options.token,
    org: options.org ?? '',
  });
  const html = await res.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const manifest = /name="manifest" value="([^"]+)"/.exec(html)?.[1];
  return { res, html, action: action && unescape(action), manifest: manifest && unescape(manifest) };
}

describe('GitHub App setup page (manifest flow)', () => {
  it('creates the App on GitHub and shows its credentials once, with the commands that store them', async () => {
    const server = await startServer();
    const token = await setupTokenFrom(server);
    const browser = createBrowser(server.baseUrl);

    const start = await browser.get(`${server.baseUrl}/github/app-setup`);
    expect(start.status).toBe(200);
    expect(await start.text()).not.toContain(token);

    // Wrong or missing token: 403, no manifest, no state, no form to GitHub.
    for (const wrong of ['', 'not-the-token', token.slice(0, -1)]) {
      const refused = await startFlow({ server, browser, token: wrong });
      expect(refused.res.status).toBe(403);
      expect(refused.manifest).toBeUndefined();
      expect(refused.html).not.toContain(github.url);
    }

    const flow = await startFlow({ server, browser, token });
    expect(flow.res.status).toBe(200);
    expect(flow.res.headers.get('cache-control')).toBe('no-store');
    // Only this page may post a form to GitHub's origin; the rest of the policy stays as strict as everywhere.
    const csp = flow.res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`form-action 'self' ${new URL(github.url).origin}`);
    expect(csp).toContain("default-src 'none'");
    expect((await fetch(`${server.baseUrl}/`)).headers.get('content-security-policy')).toContain("form-action 'self';");
    expect(flow.action).toMatch(new RegExp(`^${github.url}/settings/apps/new\\?state=[\\w-]+$`));
    const manifest: unknown = JSON.parse(flow.manifest ?? '');
    expect(manifest).toMatchObject({
      url: server.baseUrl,
      hook_attributes: { url: `${server.baseUrl}/github/webhooks`, active: true },
      redirect_url: `${server.baseUrl}/github/app-setup/complete`,
      callback_urls: [`${server.baseUrl}/github/oauth/callback`],
      public: false,
      default_permissions: { pull_requests: 'read', metadata: 'read', members: 'read' },
      default_events: ['pull_request', 'pull_request_review'],
    });

    // "Create GitHub App" on GitHub: it sends the browser back with a code and our state.
    const atGitHub = await browser.postForm(flow.action!, { manifest: flow.manifest! });
    expect(atGitHub.status).toBe(302);
    const back = atGitHub.headers.get('location')!;
    expect(back.startsWith(`${server.baseUrl}/github/app-setup/complete?`)).toBe(true);

    const done = await browser.get(back);
    const page = await done.text();
    expect(done.status, page).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(github.calls.filter((c) => c.path.includes('/app-manifests/'))).toHaveLength(1);
    const created = github.manifestApps.at(-1)!;
    expect(created.converted).toBe(true);
    expect(page).toContain(String(created.id));
    expect(page).toContain('-----BEGIN RSA PRIVATE KEY-----');
    for (const name of [
      'GITHUB_APP_ID',
      'GITHUB_CLIENT_ID',
      'GITHUB_CLIENT_SECRET',
      'GITHUB_WEBHOOK_SECRET',
      'GITHUB_APP_PRIVATE_KEY',
    ]) {
      // On the emulator there is no Google Cloud project to name: the command leaves it for the operator to fill in.
      expect(page).toContain(
        `gcloud secrets create ${name} --data-file=- --replication-policy=automatic --project=PROJECT_ID`,
      );
      expect(page).toMatch(new RegExp(`^${name}=\\S+$`, 'm'));
    }
    expect(page).toContain(`${github.url}/apps/${created.slug}/installations/new`);

    // The log says a setup completed and nothing of the credentials.
    const clientSecret = /GITHUB_CLIENT_SECRET=(\S+)/.exec(unescape(page))![1]!;
    const webhookSecret = /GITHUB_WEBHOOK_SECRET=(\S+)/.exec(unescape(page))![1]!;
    // Logged as the page is sent: the line may reach our pipe a moment after the page.
    await eventually(() => expect(server.output()).toContain('GitHub App setup completed'));
    expect(server.output()).not.toContain(clientSecret);
    expect(server.output()).not.toContain(webhookSecret);
    expect(server.output()).not.toContain('PRIVATE KEY');

    // Reloading the return page (or replaying its URL) converts nothing and shows nothing.
    const again = await browser.get(back);
    expect(again.status).toBe(400);
    const againHtml = await again.text();
    expect(againHtml).not.toContain(clientSecret);
    expect(github.calls.filter((c) => c.path.includes('/app-manifests/'))).toHaveLength(1);

    // The token is spent: no second App from it.
    expect((await startFlow({ server, browser, token })).res.status).toBe(403);
  }, 60_000);

  it('refuses a return without the browser that started it, a made-up state, or a state used twice', async () => {
    const server = await startServer();
    const token = await setupTokenFrom(server);
    const operator = createBrowser(server.baseUrl);
    const flow = await startFlow({ server, browser: operator, token, org: 'acme-inc' });
    expect(flow.action).toMatch(new RegExp(`^${github.url}/organizations/acme-inc/settings/apps/new\\?state=`));
    const back = (await operator.postForm(flow.action!, { manifest: flow.manifest! })).headers.get('location')!;
    expect(github.manifestApps.at(-1)!.owner).toBe('acme-inc');

    // Someone else's browser (no setup cookie) cannot use the link, and that spends it.
    const stranger = createBrowser(server.baseUrl);
    const strangerPage = await stranger.get(back);
    expect(strangerPage.status).toBe(400);
    expect(await operator.get(back).then((r) => r.status)).toBe(400);
    const invented = new URL(back);
    invented.searchParams.set('state', 'made-up-state');
    expect((await operator.get(invented.toString())).status).toBe(400);
    expect(github.calls.filter((c) => c.path.includes('/app-manifests/'))).toHaveLength(1);

    // The token was not spent by a flow that did not complete: the operator starts again and finishes.
    const retry = await startFlow({ server, browser: operator, token });
    const back2 = (await operator.postForm(retry.action!, { manifest: retry.manifest! })).headers.get('location')!;
    expect((await operator.get(back2)).status).toBe(200);
  }, 60_000);

  it('is absent (404) once a GitHub App is configured, e.g. with the credentials the setup showed', async () => {
    const server = await startServer();
    const token = await setupTokenFrom(server);
    const browser = createBrowser(server.baseUrl);
    const flow = await startFlow({ server, browser, token });
    const back = (await browser.postForm(flow.action!, { manifest: flow.manifest! })).headers.get('location')!;
    const page = unescape(await (await browser.get(back)).text());
    const env = Object.fromEntries([...page.matchAll(/^(GITHUB_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(env).sort()).toEqual([
      'GITHUB_APP_ID',
      'GITHUB_APP_PRIVATE_KEY',
      'GITHUB_CLIENT_ID',
      'GITHUB_CLIENT_SECRET',
      'GITHUB_WEBHOOK_SECRET',
    ]);

    const configured = await startServer(env);
    expect(configured.output()).not.toContain('setup token');
    for (const [method, path] of [
      ['GET', '/github/app-setup'],
      ['POST', '/github/app-setup'],
      ['GET', '/github/app-setup/complete?code=x&state=y'],
    ] as const) {
      const res = await fetch(`${configured.baseUrl}${path}`, { method, headers: { accept: 'text/html' } });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  }, 60_000);
});
