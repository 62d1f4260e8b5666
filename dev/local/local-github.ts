import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeGitHub, type FakeGitHub } from '../fakes/fake-github.js';
import { escapeHtml } from './html.js';
import { LOCAL_PEOPLE, LOCAL_REPOS } from './local-world.js';

/**
 * Local mode's GitHub: the fake GitHub (REST API, OAuth code exchange, App tokens) with the local repositories and
 * accounts, behind a small front that adds what a person sees on github.com in the link flow: the OAuth consent
 * page, where they pick which local GitHub account they are.
 */
export interface LocalGitHubServer {
  fake: FakeGitHub;
  /** GITHUB_URL: the front (consent page; everything else is passed to the fake). */
  url: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  close(): Promise<void>;
}

export async function startLocalGitHub(options: { appBaseUrl: string }): Promise<LocalGitHubServer> {
  const fake = await createFakeGitHub();
  for (const repo of LOCAL_REPOS) fake.addRepo(repo);
  for (const person of LOCAL_PEOPLE) fake.addUser(person.github);
  const callback = `${options.appBaseUrl.replace(/\/+$/, '')}/github/oauth/callback`;
  const server = createServer((req, res) => {
    route({ req, res, fake, callback }).catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('local GitHub failed');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    fake,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiUrl: fake.apiUrl,
    close: async () => {
      await closeServer(server);
      await fake.close();
    },
  };
}

async function route(c: { req: IncomingMessage; res: ServerResponse; fake: FakeGitHub; callback: string }) {
  const url = new URL(c.req.url ?? '/', 'http://127.0.0.1');
  if (c.req.method === 'GET' && url.pathname === '/login/oauth/authorize') return consentPage(c, url);
  if (c.req.method === 'GET' && url.pathname === '/login/oauth/authorize/approve') return approve(c, url);
  return passThrough(c, url);
}

/** GitHub's "Authorize application" page, with one button per local account. */
function consentPage(c: { res: ServerResponse; fake: FakeGitHub; callback: string }, url: URL): void {
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  if (url.searchParams.get('client_id') !== c.fake.clientId || redirectUri !== c.callback)
    return void page(c.res, 400, '<p>The application asked with an unknown client id or redirect URL.</p>');
  const state = url.searchParams.get('state') ?? '';
  const buttons = LOCAL_PEOPLE.map(
    (p) =>
      `<form method="get" action="/login/oauth/authorize/approve">` +
      `<input type="hidden" name="state" value="${escapeHtml(state)}">` +
      `<input type="hidden" name="login" value="${escapeHtml(p.github.login)}">` +
      `<button type="submit">Authorize as ${escapeHtml(p.github.login)}</button></form>`,
  ).join('');
  page(
    c.res,
    200,
    `<h1>Authorize PR Notifier</h1><p>This is the local GitHub of local mode: choose which GitHub account you are.</p>${buttons}`,
  );
}

function approve(c: { res: ServerResponse; fake: FakeGitHub; callback: string }, url: URL): void {
  const person = LOCAL_PEOPLE.find((p) => p.github.login === url.searchParams.get('login'));
  if (!person) return void page(c.res, 400, '<p>No such local GitHub account.</p>');
  const target = new URL(c.callback);
  target.searchParams.set('code', c.fake.createOAuthCode(person.github));
  target.searchParams.set('state', url.searchParams.get('state') ?? '');
  c.res.writeHead(302, { location: target.toString() }).end();
}

async function passThrough(c: { req: IncomingMessage; res: ServerResponse; fake: FakeGitHub }, url: URL) {
  const chunks: Buffer[] = [];
  for await (const chunk of c.req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const headers = new Headers();
  for (const name of ['content-type', 'accept', 'authorization', 'user-agent']) {
    const value = c.req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const method = c.req.method ?? 'GET';
  const answer = await fetch(c.fake.url + url.pathname + url.search, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    redirect: 'manual',
  });
  const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'text/plain' };
  const location = answer.headers.get('location');
  if (location) out['location'] = location;
  c.res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
}

function page(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    })
    .end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>Local GitHub</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2328}` +
        `button{font:inherit;margin:.25rem 0;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}</style>` +
        `</head><body><main>${body}</main></body></html>`,
    );
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
