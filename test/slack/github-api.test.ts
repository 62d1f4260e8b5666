import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubApi, GitHubApiError, GitHubOAuthError, type GitHubApi } from '../../src/github-api/index.js';
import { createFakeGitHub, type FakeGitHub } from '../fakes/fake-github.js';

describe('GitHub API client against a fake GitHub (Enterprise-style /api/v3 base)', () => {
  let gh: FakeGitHub;
  let api: GitHubApi;
  let noApp: GitHubApi;
  const redirectUri = 'http://127.0.0.1:1/github/oauth/callback';

  beforeAll(async () => {
    gh = await createFakeGitHub();
    const config = {
      webhookSecret: 'x', clientId: gh.clientId, clientSecret: gh.clientSecret, url: gh.url, apiUrl: gh.apiUrl,
      appId: gh.appId, appPrivateKey: gh.appPrivateKey,
    };
    api = createGitHubApi({ config, now: () => new Date() });
    noApp = createGitHubApi({ config: { ...config, appId: null, appPrivateKey: null }, now: () => new Date() });
    gh.addRepo({ fullName: 'octo/public-repo', private: false });
    gh.addRepo({ fullName: 'octo/secret', private: true, appInstallationId: 77, permissions: { alice: 'write', bob: 'none' } });
    gh.addRepo({ fullName: 'octo/no-app', private: true });
  });
  afterAll(() => gh.close());

  it('exchanges a code once and reads the numeric user id and login', async () => {
    const code = gh.createOAuthCode({ id: 1001, login: 'alice' });
    const token = await api.oauth.exchangeCode({ code, redirectUri });
    await expect(api.oauth.fetchUser(token)).resolves.toEqual({ id: 1001, login: 'alice' });
    await expect(api.oauth.exchangeCode({ code, redirectUri })).rejects.toMatchObject({ code: 'bad_verification_code' });
    await expect(api.oauth.exchangeCode({ code: 'nope', redirectUri })).rejects.toBeInstanceOf(GitHubOAuthError);
  });

  it('builds the authorize URL on the configured GitHub root', () => {
    const url = new URL(api.oauth.authorizeUrl({ state: 's1', redirectUri }));
    expect(`${url.origin}${url.pathname}`).toBe(`${gh.url}/login/oauth/authorize`);
    expect(url.searchParams.get('state')).toBe('s1');
    expect(url.searchParams.get('client_id')).toBe(gh.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
  });

  it('tells public, private-or-missing repos apart without credentials', async () => {
    await expect(api.repos.visibility({ owner: 'octo', name: 'public-repo' })).resolves.toBe('public');
    await expect(api.repos.visibility({ owner: 'octo', name: 'secret' })).resolves.toBe('not_found');
    await expect(api.repos.visibility({ owner: 'octo', name: 'missing' })).resolves.toBe('not_found');
  });

  it('checks collaborator permission through the GitHub App (JWT, installation token)', async () => {
    const check = api.repos.collaboratorAccess!;
    await expect(check({ owner: 'octo', name: 'secret', login: 'ALICE' })).resolves.toEqual({ kind: 'granted', permission: 'write' });
    await expect(check({ owner: 'octo', name: 'secret', login: 'bob' })).resolves.toEqual({ kind: 'denied', permission: 'none' });
    await expect(check({ owner: 'octo', name: 'secret', login: 'mallory' })).resolves.toEqual({ kind: 'denied', permission: null });
    await expect(check({ owner: 'octo', name: 'no-app', login: 'alice' })).resolves.toEqual({ kind: 'app_not_installed' });
    expect(noApp.repos.collaboratorAccess).toBeNull();
  });

  it('reports GitHub outages as errors with the HTTP status', async () => {
    gh.failNext({ path: '/api/v3/repos/octo/public-repo', status: 502 });
    const err = await api.repos.visibility({ owner: 'octo', name: 'public-repo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(502);
  });
});
