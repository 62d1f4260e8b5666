import { createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A GitHub stand-in on loopback for OAuth (web root) and the REST API (under /api/v3, like GitHub Enterprise,
 * so the app is proven not to assume api.github.com paths). It checks what GitHub checks: client credentials,
 * single-use codes, bearer tokens, and the App JWT signature against the App's public key.
 */
export interface FakeGitHubRepo { fullName: string; private: boolean; appInstallationId?: number; permissions?: Record<string, string> }
export interface FakeGitHubCall { method: string; path: string }

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
  addRepo(repo: FakeGitHubRepo): void;
  /** The next matching request fails with this HTTP status. */
  failNext(options: { path: string; status: number }): void;
  close(): Promise<void>;
}

export async function createFakeGitHub(): Promise<FakeGitHub> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const state = {
    codes: new Map<string, { id: number; login: string }>(),
    userTokens: new Map<string, { id: number; login: string }>(),
    installationTokens: new Map<string, number>(),
    repos: new Map<string, FakeGitHubRepo>(),
    failures: [] as Array<{ path: string; status: number }>,
    calls: [] as FakeGitHubCall[],
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
    createOAuthCode(user) {
      const code = randomBytes(10).toString('hex');
      state.codes.set(code, user);
      return code;
    },
    addRepo: (repo) => state.repos.set(repo.fullName.toLowerCase(), repo),
    failNext: (f) => state.failures.push(f),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type State = {
  codes: Map<string, { id: number; login: string }>;
  userTokens: Map<string, { id: number; login: string }>;
  installationTokens: Map<string, number>;
  repos: Map<string, FakeGitHubRepo>;
  failures: Array<{ path: string; status: number }>;
  calls: FakeGitHubCall[];
};

async function handle(ctx: {
  req: IncomingMessage; res: ServerResponse; state: State; fake: { clientId: string; clientSecret: string; appId: string }; publicKey: KeyObject;
}): Promise<void> {
  const { req, res, state, fake, publicKey } = ctx;
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const method = req.method ?? 'GET';
  state.calls.push({ method, path });
  const failure = state.failures.findIndex((f) => f.path === path);
  if (failure >= 0) {
    const [f] = state.failures.splice(failure, 1);
    return send(res, f!.status, { message: 'injected failure' });
  }
  const bearer = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];

  if (method === 'POST' && path === '/login/oauth/access_token') {
    const body = await readJson(req);
    if (body['client_id'] !== fake.clientId || body['client_secret'] !== fake.clientSecret) {
      return send(res, 200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    }
    const user = state.codes.get(String(body['code']));
    if (!user) return send(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    state.codes.delete(String(body['code']));
    const token = `gho_${randomBytes(12).toString('hex')}`;
    state.userTokens.set(token, user);
    return send(res, 200, { access_token: token, token_type: 'bearer', scope: '' });
  }
  if (method === 'GET' && path === '/api/v3/user') {
    const user = bearer ? state.userTokens.get(bearer) : undefined;
    return user ? send(res, 200, { id: user.id, login: user.login, type: 'User' }) : send(res, 401, { message: 'Bad credentials' });
  }
  const repoMatch = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (method === 'GET' && repoMatch) {
    const repo = state.repos.get(`${decodeURIComponent(repoMatch[1]!)}/${decodeURIComponent(repoMatch[2]!)}`.toLowerCase());
    const rest = repoMatch[3] ?? '';
    if (rest === '') {
      const visible = repo && (!repo.private || (bearer !== undefined && state.installationTokens.has(bearer)));
      return visible ? send(res, 200, { full_name: repo.fullName, private: repo.private }) : send(res, 404, { message: 'Not Found' });
    }
    if (rest === '/installation') {
      if (!bearer || !verifyAppJwt(bearer, publicKey, fake.appId)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      return repo?.appInstallationId ? send(res, 200, { id: repo.appInstallationId }) : send(res, 404, { message: 'Not Found' });
    }
    const perm = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (perm) {
      const installation = bearer ? state.installationTokens.get(bearer) : undefined;
      if (!repo || installation === undefined || installation !== repo.appInstallationId) return send(res, 401, { message: 'Bad credentials' });
      const login = decodeURIComponent(perm[1]!).toLowerCase();
      const entry = Object.entries(repo.permissions ?? {}).find(([l]) => l.toLowerCase() === login);
      return entry ? send(res, 200, { permission: entry[1], role_name: entry[1], user: { login: entry[0] } }) : send(res, 404, { message: 'Not Found' });
    }
  }
  const tokenMatch = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
  if (method === 'POST' && tokenMatch) {
    if (!bearer || !verifyAppJwt(bearer, publicKey, fake.appId)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
    const token = `ghs_${randomBytes(12).toString('hex')}`;
    state.installationTokens.set(token, Number(tokenMatch[1]));
    return send(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString() });
  }
  send(res, 404, { message: 'Not Found' });
}

function verifyAppJwt(jwt: string, publicKey: KeyObject, appId: string): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: unknown };
  return String(claims.iss) === appId && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
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
