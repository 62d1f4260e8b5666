import { toRecord } from '../core/json-reader.js';
import { createAppJwt } from './app-jwt.js';
import { GitHubApiError, joinUrl, type GitHubHttp } from './http.js';

/** What an anonymous caller can see of a repo: GitHub answers 404 for private repos and for missing ones alike. */
export type RepoVisibility = 'public' | 'private' | 'not_found';

/** The GitHub App's answer to "may this login read that repo?". */
export type CollaboratorAccess =
  | { kind: 'granted'; permission: string }
  | { kind: 'denied'; permission: string | null }
  | { kind: 'app_not_installed' };

export interface RepoAccessClient {
  visibility(repo: { owner: string; name: string }): Promise<RepoVisibility>;
  /** Null when no GitHub App credentials are configured: private access cannot be checked at all. */
  collaboratorAccess:
    | ((input: { owner: string; name: string; login: string }) => Promise<CollaboratorAccess>)
    | null;
}

/** Permissions that include reading the repo (`read` is what the REST API calls "pull"). */
const READ_PERMISSIONS = new Set(['read', 'triage', 'write', 'maintain', 'admin']);

export function createRepoAccessClient(options: {
  http: GitHubHttp;
  apiUrl: string;
  app: { appId: string; privateKey: string } | null;
  now: () => Date;
}): RepoAccessClient {
  const { http, apiUrl, app, now } = options;
  const repoPath = (owner: string, name: string) => `repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  return {
    async visibility({ owner, name }) {
      const res = await http.request({ url: joinUrl(apiUrl, repoPath(owner, name)) });
      if (res.status === 404) return 'not_found';
      if (res.status !== 200) throw new GitHubApiError(`GitHub answered ${res.status} for the repository`, res.status);
      return toRecord(res.body)['private'] === false ? 'public' : 'private';
    },
    collaboratorAccess: app === null ? null : async ({ owner, name, login }) => {
      const jwt = createAppJwt({ appId: app.appId, privateKey: app.privateKey, now: now() });
      const installation = await http.request({ url: joinUrl(apiUrl, `${repoPath(owner, name)}/installation`), authorization: `Bearer ${jwt}` });
      if (installation.status === 404) return { kind: 'app_not_installed' };
      const installationId = toRecord(installation.body)['id'];
      if (installation.status !== 200 || typeof installationId !== 'number') {
        throw new GitHubApiError(`GitHub answered ${installation.status} when looking up the App installation`, installation.status);
      }
      const tokenRes = await http.request({
        method: 'POST',
        url: joinUrl(apiUrl, `app/installations/${installationId}/access_tokens`),
        authorization: `Bearer ${jwt}`,
        body: {},
      });
      const token = toRecord(tokenRes.body)['token'];
      if (tokenRes.status !== 201 || typeof token !== 'string') {
        throw new GitHubApiError(`GitHub answered ${tokenRes.status} when creating an installation token`, tokenRes.status);
      }
      const permRes = await http.request({
        url: joinUrl(apiUrl, `${repoPath(owner, name)}/collaborators/${encodeURIComponent(login)}/permission`),
        authorization: `Bearer ${token}`,
      });
      // 404 here means the login is not a collaborator (or no longer exists): no access.
      if (permRes.status === 404) return { kind: 'denied', permission: null };
      if (permRes.status !== 200) throw new GitHubApiError(`GitHub answered ${permRes.status} for the permission check`, permRes.status);
      const body = toRecord(permRes.body);
      const roleName = body['role_name'];
      const permission = typeof body['permission'] === 'string' ? body['permission'] : null;
      if (permission !== null && READ_PERMISSIONS.has(permission)) return { kind: 'granted', permission };
      if (typeof roleName === 'string' && READ_PERMISSIONS.has(roleName)) return { kind: 'granted', permission: roleName };
      return { kind: 'denied', permission };
    },
  };
}
