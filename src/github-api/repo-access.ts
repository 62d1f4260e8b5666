import { toRecord } from '../shared/json-reader.js';
import { GitHubApiError, joinUrl, type GitHubHttp } from './http.js';
import { repoPath, type InstallationTokens } from './installation-tokens.js';

/** What the app can see of a repo: GitHub answers 404 for a private repo it may not see and for a missing one alike. */
export type RepoVisibility = 'public' | 'private' | 'not_found';

/** The GitHub App's answer to "may this GitHub user read that repo?". */
export type CollaboratorAccess =
  | { kind: 'granted'; permission: string; login: string }
  | { kind: 'denied'; permission: string | null; login: string | null }
  | { kind: 'app_not_installed' };

export interface RepoAccessClient {
  /** Whether a GitHub user or organization of this name exists (anonymously: an account's existence is public). */
  accountExists(owner: string): Promise<boolean>;
  /** Through the App's installation token where the App is installed on the repo, else anonymously. */
  visibility(repo: { owner: string; name: string }): Promise<RepoVisibility>;
  /**
   * By the numeric GitHub user id, never a stored login (logins can be renamed and re-registered by someone else).
   * Null when no GitHub App credentials are configured: private access cannot be checked at all.
   */
  collaboratorAccess:
    ((input: { owner: string; name: string; githubUserId: number }) => Promise<CollaboratorAccess>) | null;
}

/** Permissions that include reading the repo (`read` is what the REST API calls "pull"). */
const READ_PERMISSIONS = new Set(['read', 'triage', 'write', 'maintain', 'admin']);

/** `tokens`: the GitHub App's installation tokens, null without App credentials. */
export function createRepoAccessClient(options: {
  http: GitHubHttp;
  apiUrl: string;
  tokens: InstallationTokens | null;
}): RepoAccessClient {
  const { http, apiUrl, tokens } = options;
  const bearer = (token: string | null) => (token === null ? {} : { authorization: `Bearer ${token}` });

  /** The login GitHub gives the id today; null when the account is gone. */
  async function currentLogin(githubUserId: number, token: string): Promise<string | null> {
    const res = await http.request({ url: joinUrl(apiUrl, `user/${githubUserId}`), ...bearer(token) });
    if (res.status === 404) return null;
    const body = toRecord(res.body);
    const login = body['login'];
    if (res.status !== 200 || body['id'] !== githubUserId || typeof login !== 'string' || login.length === 0) {
      throw new GitHubApiError(`GitHub answered ${res.status} when reading user ${githubUserId}`, res.status);
    }
    return login;
  }

  return {
    async accountExists(owner) {
      const res = await http.request({ url: joinUrl(apiUrl, `users/${encodeURIComponent(owner)}`) });
      if (res.status === 404) return false;
      if (res.status !== 200) throw new GitHubApiError(`GitHub answered ${res.status} for the account`, res.status);
      return true;
    },
    async visibility({ owner, name }) {
      const token = tokens === null ? null : await tokens.forRepo({ owner, name });
      const res = await http.request({ url: joinUrl(apiUrl, repoPath(owner, name)), ...bearer(token) });
      if (res.status === 404) return 'not_found';
      if (res.status !== 200) throw new GitHubApiError(`GitHub answered ${res.status} for the repository`, res.status);
      return toRecord(res.body)['private'] === false ? 'public' : 'private';
    },
    collaboratorAccess:
      tokens === null
        ? null
        : async ({ owner, name, githubUserId }) => {
            const token = await tokens.forRepo({ owner, name });
            if (token === null) return { kind: 'app_not_installed' };
            const login = await currentLogin(githubUserId, token);
            if (login === null) return { kind: 'denied', permission: null, login: null };
            const res = await http.request({
              url: joinUrl(apiUrl, `${repoPath(owner, name)}/collaborators/${encodeURIComponent(login)}/permission`),
              ...bearer(token),
            });
            // 404 here means the login is not a collaborator (or no longer exists): no access.
            if (res.status === 404) return { kind: 'denied', permission: null, login };
            if (res.status !== 200)
              throw new GitHubApiError(`GitHub answered ${res.status} for the permission check`, res.status);
            const body = toRecord(res.body);
            // The login may have changed hands between the two calls: the answer counts only for the same account.
            if (toRecord(body['user'])['id'] !== githubUserId) return { kind: 'denied', permission: null, login };
            const roleName = body['role_name'];
            const permission = typeof body['permission'] === 'string' ? body['permission'] : null;
            if (permission !== null && READ_PERMISSIONS.has(permission)) return { kind: 'granted', permission, login };
            if (typeof roleName === 'string' && READ_PERMISSIONS.has(roleName))
              return { kind: 'granted', permission: roleName, login };
            return { kind: 'denied', permission, login };
          },
  };
}
