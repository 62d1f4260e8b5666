import type { Config } from '../config.js';
import { createGitHubHttp } from './http.js';
import { createGitHubOAuthClient, type GitHubOAuthClient } from './oauth-client.js';
import { createRepoAccessClient, type RepoAccessClient } from './repo-access.js';

export { GitHubApiError } from './http.js';
export { GitHubOAuthError, type GitHubIdentity, type GitHubOAuthClient } from './oauth-client.js';
export type { CollaboratorAccess, RepoAccessClient, RepoVisibility } from './repo-access.js';

/** The small GitHub client the Slack side needs: identity linking and repository access checks. */
export interface GitHubApi {
  oauth: GitHubOAuthClient;
  repos: RepoAccessClient;
}

export function createGitHubApi(options: {
  config: Config['github'];
  now: () => Date;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): GitHubApi {
  const { config } = options;
  const http = createGitHubHttp({ timeoutMs: options.timeoutMs, fetch: options.fetch });
  const app =
    config.appId !== null && config.appPrivateKey !== null
      ? { appId: config.appId, privateKey: config.appPrivateKey }
      : null;
  return {
    oauth: createGitHubOAuthClient({
      http,
      webUrl: config.url,
      apiUrl: config.apiUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
    repos: createRepoAccessClient({ http, apiUrl: config.apiUrl, app, now: options.now }),
  };
}
