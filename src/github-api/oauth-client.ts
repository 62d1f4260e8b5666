import { UpstreamError } from '../shared/errors.js';
import { toRecord } from '../shared/json-reader.js';
import { GitHubApiError, joinUrl, type GitHubHttp } from './http.js';

/** A GitHub identity as the app keeps it: the numeric id never changes, the login may. */
export interface GitHubIdentity {
  id: number;
  login: string;
}

/** GitHub said no to the code exchange (e.g. `bad_verification_code` for an expired or reused code). */
export class GitHubOAuthError extends UpstreamError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super({ upstream: 'github', message });
    this.name = 'GitHubOAuthError';
  }
}

export interface GitHubOAuthClient {
  authorizeUrl(input: { state: string; redirectUri: string }): string;
  /** Exchanges an OAuth code for a user token. The token is only used to read the user and then dropped. */
  exchangeCode(input: { code: string; redirectUri: string }): Promise<string>;
  fetchUser(userToken: string): Promise<GitHubIdentity>;
}

export function createGitHubOAuthClient(options: {
  http: GitHubHttp;
  webUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}): GitHubOAuthClient {
  const { http, webUrl, apiUrl, clientId, clientSecret } = options;
  return {
    authorizeUrl({ state, redirectUri }) {
      const url = new URL(joinUrl(webUrl, 'login/oauth/authorize'));
      url.search = new URLSearchParams({
        client_id: clientId,
        state,
        redirect_uri: redirectUri,
        allow_signup: 'false',
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code, redirectUri }) {
      const res = await http.request({
        method: 'POST',
        url: joinUrl(webUrl, 'login/oauth/access_token'),
        body: { client_id: clientId, client_secret: clientSecret, code, redirect_uri: redirectUri },
      });
      const body = toRecord(res.body);
      if (res.status >= 400) throw new GitHubApiError(`GitHub answered ${res.status} to the code exchange`, res.status);
      if (typeof body['error'] === 'string') {
        const description = typeof body['error_description'] === 'string' ? body['error_description'] : body['error'];
        throw new GitHubOAuthError(body['error'], description);
      }
      const token = body['access_token'];
      if (typeof token !== 'string' || token.length === 0) {
        throw new GitHubApiError('GitHub returned no access token', res.status);
      }
      return token;
    },
    async fetchUser(userToken) {
      const res = await http.request({ url: joinUrl(apiUrl, 'user'), authorization: `Bearer ${userToken}` });
      if (res.status !== 200)
        throw new GitHubApiError(`GitHub answered ${res.status} when reading the user`, res.status);
      const body = toRecord(res.body);
      const id = body['id'];
      const login = body['login'];
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof login !== 'string' || login.length === 0) {
        throw new GitHubApiError('GitHub returned a user without a numeric id and login', res.status);
      }
      return { id, login };
    },
  };
}
