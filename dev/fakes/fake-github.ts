import { createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGitHubTeams, type FakeGitHubOrg, type FakeGitHubTeam } from './fake-github-teams.js';

export type { FakeGitHubOrg, FakeGitHubTeam } from './fake-github-teams.js';

/**
 * A GitHub stand-in on loopback for OAuth (web root) and the REST API (under /api/v3, like GitHub Enterprise,
 * so the app is proven not to assume api.github.com paths). It checks what GitHub checks: client credentials,
 * single-use codes, bearer tokens, installation tokens' expiry and installation, and the App JWT signature
 * against the App's public key.
 */
export interface FakeGitHubRepo {
  fullName: string;
  private: boolean;
  appInstallationId?: number;
  /** Collaborator permission by login; the answer names the user holding that login now (see addUser). */
  permissions?: Record<string, string>;
}
/** How a request authenticated, as GitHub would tell: none, the App's JWT, an installation token, a user token, or a bad one. */
export type FakeGitHubAuth = 'none' | 'app_jwt' | 'installation_token' | 'user_token' | 'invalid';
export interface FakeGitHubCall {
  method: string;
  path: string;
  auth: FakeGitHubAuth;
}
/** A GitHub App made from a manifest: `converted` once its code was exchanged for the credentials. */
export interface FakeManifestApp {
  id: number;
  slug: string;
  owner: string | null;
  manifest: Record<string, unknown>;
  code: string;
  converted: boolean;
}

export interface FakeGitHub {
  url: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  appId: string;
  /** PEM of the App private key, for GITHUB_APP_PRIVATE_KEY. */
  appPrivateKey: string;
  calls: FakeGitHubCall[];
  /** Simulates the user approving the OAuth screen: returns the code GitHub would put on the redirect. */
  createOAuthCode(user: { id: number; login: string }): string;
  /**
   * A GitHub account; adding an id again renames it. Logins are unique on GitHub; giving a login to a second id
   * while the first still has it simulates a rename that happened between two calls (the newer id holds it).
   */
  addUser(user: { id: number; login: string }): void;
  addRepo(repo: FakeGitHubRepo): void;
  /** An organization, with the App installed on it when `appInstallationId` is given. */
  addOrg(org: FakeGitHubOrg): void;
  /** A team of an organization and its members (adding the same org and slug again replaces it). */
  addTeam(team: FakeGitHubTeam): void;
  /** The next matching request fails with this HTTP status. */
  failNext(options: { path: string; status: number }): void;
  /** Apps created through the manifest flow (`POST /settings/apps/new`), newest last, with the manifest GitHub got. */
  manifestApps: FakeManifestApp[];
  close(): Promise<void>;
}

export async function createFakeGitHub(
  options: {
    installationTokenTtlMs?: number;
    /** GitHub's clock, for token expiry (default: real time). */ now?: () => number;
  } = {},
): Promise<FakeGitHub> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const state: State = {
    codes: new Map<string, { id: number; login: string }>(),
    userTokens: new Map<string, { id: number; login: string }>(),
    installationTokens: new Map<string, { installationId: number; expiresAt: number }>(),
    installationTokenTtlMs: options.installationTokenTtlMs ?? 3600_000,
    now: options.now ?? Date.now,
    users: [],
    repos: new Map<string, FakeGitHubRepo>(),
    failures: [] as Array<{ path: string; status: number }>,
    calls: [] as FakeGitHubCall[],
    manifestApps: [] as FakeManifestApp[],
    teams: new FakeGitHubTeams(),
  };
  const fake = { clientId: 'gh-client-id', clientSecret: 'gh-client-secret', appId: '4242' };
  const server = createServer((req, res) => {
    void handle({ req, res, state, fake, publicKey }).catch(() => send(res, 500, { message: 'fake crashed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/v3`,
    ...fake,
    appPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    calls: state.calls,
    manifestApps: state.manifestApps,
    createOAuthCode(user) {
      const code = randomBytes(10).toString('hex');
      state.codes.set(code, user);
      return code;
    },
    addUser: (user) => {
      state.users = [...state.users.filter((u) => u.id !== user.id), user];
    },
    addRepo: (repo) => state.repos.set(repo.fullName.toLowerCase(), repo),
    addOrg: (org) => state.teams.addOrg(org),
    addTeam: (team) => state.teams.addTeam(team),
    failNext: (f) => state.failures.push(f),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type State = {
  codes: Map<string, { id: number; login: string }>;
  userTokens: Map<string, { id: number; login: string }>;
  installationTokens: Map<string, { installationId: number; expiresAt: number }>;
  installationTokenTtlMs: number;
  now: () => number;
  /** In the order added: the last one holding a login is its owner. */
  users: Array<{ id: number; login: string }>;
  repos: Map<string, FakeGitHubRepo>;
  failures: Array<{ path: string; status: number }>;
  calls: FakeGitHubCall[];
  manifestApps: FakeManifestApp[];
  teams: FakeGitHubTeams;
};

async function handle(ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  state: State;
  fake: { clientId: string; clientSecret: string; appId: string };
  publicKey: KeyObject;
}): Promise<void> {
  const { req, res, state, fake, publicKey } = ctx;
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const method = req.method ?? 'GET';
  const bearer = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const installationToken = bearer ? state.installationTokens.get(bearer) : undefined;
  const installation =
    installationToken && installationToken.expiresAt > state.now() ? installationToken.installationId : undefined;
  const auth: FakeGitHubAuth =
    bearer === undefined
      ? 'none'
      : installation !== undefined
        ? 'installation_token'
        : state.userTokens.has(bearer)
          ? 'user_token'
          : verifyAppJwt({ jwt: bearer, publicKey, appId: fake.appId, now: state.now() })
            ? 'app_jwt'
            : 'invalid';
  state.calls.push({ method, path, auth });
  const failure = state.failures.findIndex((f) => f.path === path);
  if (failure >= 0) {
    const [f] = state.failures.splice(failure, 1);
    return send(res, f!.status, { message: 'injected failure' });
  }
  // GitHub refuses a bad or expired token outright, even where the call would work anonymously.
  if (auth === 'invalid') return send(res, 401, { message: 'Bad credentials' });
  const ownerOf = (login: string) => state.users.findLast((u) => u.login.toLowerCase() === login.toLowerCase());

  const manifestForm = /^(?:\/organizations\/([^/]+))?\/settings\/apps\/new$/.exec(path);
  if (method === 'POST' && manifestForm)
    return createAppFromManifest({ req, res, state, org: manifestForm[1] ?? null });
  const conversion = /^\/api\/v3\/app-manifests\/([^/]+)\/conversions$/.exec(path);
  if (method === 'POST' && conversion)
    return convertManifestCode({ res, state, code: decodeURIComponent(conversion[1]!) });
  if (method === 'POST' && path === '/login/oauth/access_token') {
    const body = await readJson(req);
    if (body['client_id'] !== fake.clientId || body['client_secret'] !== fake.clientSecret) {
      return send(res, 200, {
        error: 'incorrect_client_credentials',
        error_description: 'The client_id and/or client_secret passed are incorrect.',
      });
    }
    const user = state.codes.get(String(body['code']));
    if (!user)
      return send(res, 200, {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      });
    state.codes.delete(String(body['code']));
    const token = `gho_${randomBytes(12).toString('hex')}`;
    state.userTokens.set(token, user);
    return send(res, 200, { access_token: token, token_type: 'bearer', scope: '' });
  }
  if (method === 'GET' && path === '/api/v3/user') {
    const user = bearer ? state.userTokens.get(bearer) : undefined;
    return user
      ? send(res, 200, { id: user.id, login: user.login, type: 'User' })
      : send(res, 401, { message: 'Bad credentials' });
  }
  const userById = /^\/api\/v3\/user\/(\d+)$/.exec(path);
  if (method === 'GET' && userById) {
    const user = state.users.find((u) => u.id === Number(userById[1]));
    return user
      ? send(res, 200, { id: user.id, login: user.login, type: 'User' })
      : send(res, 404, { message: 'Not Found' });
  }
  // An account exists when a user has the login or a repo belongs to it (organizations have no users here).
  const accountMatch = /^\/api\/v3\/users\/([^/]+)$/.exec(path);
  if (method === 'GET' && accountMatch) {
    const login = decodeURIComponent(accountMatch[1]!).toLowerCase();
    const user = state.users.find((u) => u.login.toLowerCase() === login);
    const owner = [...state.repos.values()].find((r) => r.fullName.toLowerCase().startsWith(`${login}/`));
    if (user) return send(res, 200, { id: user.id, login: user.login, type: 'User' });
    return owner
      ? send(res, 200, { login: owner.fullName.split('/')[0], type: 'Organization' })
      : send(res, 404, { message: 'Not Found' });
  }
  const repoMatch = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (method === 'GET' && repoMatch) {
    const repo = state.repos.get(
      `${decodeURIComponent(repoMatch[1]!)}/${decodeURIComponent(repoMatch[2]!)}`.toLowerCase(),
    );
    const rest = repoMatch[3] ?? '';
    if (rest === '') {
      // An installation token sees the private repos of its own installation only.
      const visible =
        repo && (!repo.private || (installation !== undefined && installation === repo.appInstallationId));
      return visible
        ? send(res, 200, {
            full_name: repo.fullName,
            private: repo.private,
            visibility: repo.private ? 'private' : 'public',
          })
        : send(res, 404, { message: 'Not Found' });
    }
    if (rest === '/installation') {
      if (auth !== 'app_jwt') return send(res, 401, { message: 'A JSON web token could not be decoded' });
      return repo?.appInstallationId
        ? send(res, 200, { id: repo.appInstallationId })
        : send(res, 404, { message: 'Not Found' });
    }
    const perm = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (perm) {
      if (!repo || installation === undefined || installation !== repo.appInstallationId)
        return send(res, 401, { message: 'Bad credentials' });
      const user = ownerOf(decodeURIComponent(perm[1]!));
      const entry =
        user && Object.entries(repo.permissions ?? {}).find(([l]) => l.toLowerCase() === user.login.toLowerCase());
      return user && entry
        ? send(res, 200, {
            permission: entry[1],
            role_name: entry[1],
            user: { login: user.login, id: user.id, type: 'User' },
          })
        : send(res, 404, { message: 'Not Found' });
    }
  }
  const tokenMatch = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
  if (method === 'POST' && tokenMatch) {
    if (auth !== 'app_jwt') return send(res, 401, { message: 'A JSON web token could not be decoded' });
    const token = `ghs_${randomBytes(12).toString('hex')}`;
    const expiresAt = state.now() + state.installationTokenTtlMs;
    state.installationTokens.set(token, { installationId: Number(tokenMatch[1]), expiresAt });
    return send(res, 201, { token, expires_at: new Date(expiresAt).toISOString() });
  }
  if (state.teams.handle({ req, res, path, auth, installation })) return;
  send(res, 404, { message: 'Not Found' });
}

/**
 * GitHub's "new App from a manifest" page, with the person clicking "Create GitHub App" at once: checks the manifest
 * as GitHub does (JSON with `url` and a webhook URL) and sends the browser to its redirect_url with a code (single
 * use) and the state it was given.
 */
async function createAppFromManifest(ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  state: State;
  org: string | null;
}): Promise<void> {
  const { req, res, state, org } = ctx;
  const form = await readJson(req);
  let manifest: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(String(form['manifest'] ?? ''));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    manifest = parsed as Record<string, unknown>;
  } catch {
    return send(res, 422, { message: 'Invalid manifest: not JSON' });
  }
  const hook = manifest['hook_attributes'];
  const hookUrl = typeof hook === 'object' && hook !== null ? (hook as Record<string, unknown>)['url'] : undefined;
  const redirect = manifest['redirect_url'];
  if (typeof manifest['url'] !== 'string' || typeof hookUrl !== 'string' || typeof redirect !== 'string') {
    return send(res, 422, { message: 'Invalid manifest: url, hook_attributes.url and redirect_url are required' });
  }
  const code = randomBytes(10).toString('hex');
  const name = typeof manifest['name'] === 'string' ? manifest['name'] : 'app';
  const slug = `${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${state.manifestApps.length + 1}`;
  state.manifestApps.push({
    id: 900_000 + state.manifestApps.length + 1,
    slug,
    owner: org,
    manifest,
    code,
    converted: false,
  });
  const target = new URL(redirect);
  target.searchParams.set('code', code);
  const given = new URL(req.url ?? '/', 'http://x').searchParams.get('state');
  if (given !== null) target.searchParams.set('state', given);
  res.writeHead(302, { Location: target.toString() });
  res.end();
}

/** `POST /app-manifests/{code}/conversions`: the App's credentials, once per code (GitHub answers 404 after). */
function convertManifestCode(ctx: { res: ServerResponse; state: State; code: string }): void {
  const app = ctx.state.manifestApps.find((a) => a.code === ctx.code && !a.converted);
  if (!app)
    return send(ctx.res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest',
    });
  app.converted = true;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  send(ctx.res, 201, {
    id: app.id,
    slug: app.slug,
    node_id: `A_kwDO${app.id}`,
    owner: { login: app.owner ?? 'octocat', id: 1, type: app.owner ? 'Organization' : 'User' },
    name: app.manifest['name'],
    description: app.manifest['description'] ?? '',
    external_url: app.manifest['url'],
    html_url: `https://github.com/apps/${app.slug}`,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    permissions: app.manifest['default_permissions'] ?? {},
    events: app.manifest['default_events'] ?? [],
    client_id: `Iv23li${randomBytes(7).toString('hex')}`,
    client_secret: randomBytes(20).toString('hex'),
    webhook_secret: randomBytes(20).toString('hex'),
    pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  });
}

function verifyAppJwt(options: { jwt: string; publicKey: KeyObject; appId: string; now: number }): boolean {
  const { jwt, publicKey, appId, now } = options;
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const ok = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: unknown };
  return String(claims.iss) === appId && typeof claims.exp === 'number' && claims.exp * 1000 > now;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
