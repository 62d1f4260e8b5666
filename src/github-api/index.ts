import type { Config } from '../config.js';
import type { GithubTeams } from '../pipeline/ports.js';
import type { LogPort } from '../shared/log-port.js';
import { createGitHubHttp } from './http.js';
import { createInstallationTokens } from './installation-tokens.js';
import { createGitHubOAuthClient, type GitHubOAuthClient } from './oauth-client.js';
import { createRepoAccessClient, type RepoAccessClient } from './repo-access.js';
import { createGithubTeams } from './team-members.js';

export { GitHubApiError } from './http.js';
export { GitHubOAuthError, type GitHubIdentity, type GitHubOAuthClient } from './oauth-client.js';
export type { CollaboratorAccess, RepoAccessClient, RepoVisibility } from './repo-access.js';

/** The small GitHub client the app needs: identity linking, repository access checks and teams' members. */
export interface GitHubApi {
  oauth: GitHubOAuthClient;
  repos: RepoAccessClient;
  /** A team's members through the GitHub App (cached a few minutes); null answers without App credentials. */
  teams: GithubTeams;
}

export function createGitHubApi(options: {
  config: Config['github'];
  now: () => Date;
  /** Warnings about GitHub calls that failed (never with tokens). */
  log: LogPort;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): GitHubApi {
  const { config } = options;
  const http = createGitHubHttp({ timeoutMs: options.timeoutMs, fetch: options.fetch });
  const app =
    config.appId !== null && config.appPrivateKey !== null
      ? { appId: config.appId, privateKey: config.appPrivateKey }
      : null;
  const { apiUrl } = config;
  const { now, log } = options;
  // One token cache for every App call: an installation's token serves repo checks and team look-ups alike.
  const tokens = app === null ? null : createInstallationTokens({ http, apiUrl, app, now });
  return {
    oauth: createGitHubOAuthClient({
      http,
      webUrl: config.url,
      apiUrl: config.apiUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
    repos: createRepoAccessClient({ http, apiUrl, tokens }),
    teams: createGithubTeams({ http, apiUrl, tokens, log, now }),
  };
}
