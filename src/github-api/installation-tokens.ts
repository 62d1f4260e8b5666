import { toRecord } from '../shared/json-reader.js';
import { createAppJwt } from './app-jwt.js';
import { GitHubApiError, joinUrl, type GitHubHttp } from './http.js';

/** A cached token is dropped this long before GitHub's `expires_at`, so no call starts with a token about to lapse. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export interface InstallationTokens {
  /** The installation token of the App installation that covers the repo; null when the App is not installed on it. */
  forRepo(repo: { owner: string; name: string }): Promise<string | null>;
  /** The installation token of the App's installation on an organization; null when the App is not installed on it. */
  forOrg(org: string): Promise<string | null>;
}

export function repoPath(owner: string, name: string): string {
  return `repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/**
 * GitHub App installation tokens (an hour long), kept per installation until shortly before they expire, so
 * checks run on the App's own rate limit rather than GitHub's 60 anonymous requests per hour shared by every tenant.
 */
export function createInstallationTokens(options: {
  http: GitHubHttp;
  apiUrl: string;
  app: { appId: string; privateKey: string };
  now: () => Date;
}): InstallationTokens {
  const { http, apiUrl, app, now } = options;
  const cache = new Map<number, { token: string; freshUntil: number }>();
  const jwt = () => `Bearer ${createAppJwt({ appId: app.appId, privateKey: app.privateKey, now: now() })}`;

  async function createToken(installationId: number): Promise<string> {
    const res = await http.request({
      method: 'POST',
      url: joinUrl(apiUrl, `app/installations/${installationId}/access_tokens`),
      authorization: jwt(),
      body: {},
    });
    const body = toRecord(res.body);
    const token = body['token'];
    const expiresAt = typeof body['expires_at'] === 'string' ? Date.parse(body['expires_at']) : Number.NaN;
    if (res.status !== 201 || typeof token !== 'string' || token.length === 0) {
      throw new GitHubApiError(`GitHub answered ${res.status} when creating an installation token`, res.status);
    }
    // Without a readable expiry the token is used for this call only.
    if (!Number.isNaN(expiresAt)) cache.set(installationId, { token, freshUntil: expiresAt - EXPIRY_MARGIN_MS });
    return token;
  }

  /** The token of the installation at `path` (`repos/o/r/installation`, `orgs/o/installation`); 404: not installed. */
  async function tokenOf(path: string): Promise<string | null> {
    const res = await http.request({ url: joinUrl(apiUrl, path), authorization: jwt() });
    if (res.status === 404) return null;
    const installationId = toRecord(res.body)['id'];
    if (res.status !== 200 || typeof installationId !== 'number') {
      throw new GitHubApiError(`GitHub answered ${res.status} when looking up the App installation`, res.status);
    }
    const cached = cache.get(installationId);
    if (cached && cached.freshUntil > now().getTime()) return cached.token;
    return createToken(installationId);
  }

  return {
    forRepo: ({ owner, name }) => tokenOf(`${repoPath(owner, name)}/installation`),
    forOrg: (org) => tokenOf(`orgs/${encodeURIComponent(org)}/installation`),
  };
}
