import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubApi, GitHubApiError, GitHubOAuthError, type GitHubApi } from '../../src/github-api/index.js';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { githubConfigOf } from '../support/fake-github-config.js';
import { createRecordingLog } from '../support/pipeline-doubles/recording-log.js';

describe('GitHub API client against a fake GitHub (Enterprise-style /api/v3 base)', () => {
  let gh: FakeGitHub;
  let api: GitHubApi;
  let noApp: GitHubApi;
  // One clock for the app and GitHub, so token lifetimes can be run forward.
  let clock = Date.now();
  const redirectUri = 'http://127.0.0.1:1/github/oauth/callback';

  beforeAll(async () => {
    gh = await createFakeGitHub({ now: () => clock });
    const config = githubConfigOf(gh);
    const log = createRecordingLog();
    api = createGitHubApi({ config, now: () => new Date(clock), log });
    noApp = createGitHubApi({ config: { ...config, appId: null, appPrivateKey: null }, now: () => new Date(), log });
    gh.addRepo({ fullName: 'octo/public-repo', private: false });
    gh.addRepo({
      fullName: 'octo/secret',
      private: true,
      appInstallationId: 77,
      permissions: { alice: 'write', bob: 'none' },
    });
    gh.addRepo({ fullName: 'octo/no-app', private: true });
    gh.addRepo({ fullName: 'octo/app-public', private: false, appInstallationId: 78 });
    gh.addUser({ id: 1001, login: 'alice' });
    gh.addUser({ id: 1002, login: 'bob' });
    gh.addUser({ id: 1003, login: 'mallory' });
  });
  const callsSince = (from: number) => gh.calls.slice(from).map((c) => `${c.method} ${c.path} ${c.auth}`);
  afterAll(() => gh.close());

  it('exchanges a code once and reads the numeric user id and login', async () => {
    const code = gh.createOAuthCode({ id: 1001, login: 'alice' });
    const token = await api.oauth.exchangeCode({ code, redirectUri });
    await expect(api.oauth.fetchUser(token)).resolves.toEqual({ id: 1001, login: 'alice' });
    await expect(api.oauth.exchangeCode({ code, redirectUri })).rejects.toMatchObject({
      code: 'bad_verification_code',
    });
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
    await expect(noApp.repos.visibility({ owner: 'octo', name: 'public-repo' })).resolves.toBe('public');
    await expect(noApp.repos.visibility({ owner: 'octo', name: 'secret' })).resolves.toBe('not_found');
    await expect(noApp.repos.visibility({ owner: 'octo', name: 'missing' })).resolves.toBe('not_found');
  });

  it('with App credentials, reads visibility with the installation token, anonymously only where the App is not installed', async () => {
    const from = gh.calls.length;
    await expect(api.repos.visibility({ owner: 'octo', name: 'app-public' })).resolves.toBe('public');
    // The installation token sees its own private repo as private (anonymously it is a 404).
    await expect(api.repos.visibility({ owner: 'octo', name: 'secret' })).resolves.toBe('private');
    await expect(api.repos.visibility({ owner: 'octo', name: 'public-repo' })).resolves.toBe('public');
    await expect(api.repos.visibility({ owner: 'octo', name: 'missing' })).resolves.toBe('not_found');
    expect(callsSince(from).filter((c) => c.startsWith('GET /api/v3/repos/') && !c.includes('/installation '))).toEqual(
      [
        'GET /api/v3/repos/octo/app-public installation_token',
        'GET /api/v3/repos/octo/secret installation_token',
        'GET /api/v3/repos/octo/public-repo none',
        'GET /api/v3/repos/octo/missing none',
      ],
    );
  });

  it('keeps an installation token until shortly before it expires', async () => {
    const mints = (from: number) =>
      callsSince(from).filter((c) => c === 'POST /api/v3/app/installations/78/access_tokens app_jwt');
    clock += 2 * 3600_000; // whatever earlier tests cached has expired
    const from = gh.calls.length;
    for (let i = 0; i < 3; i++) await api.repos.visibility({ owner: 'octo', name: 'app-public' });
    expect(mints(from)).toHaveLength(1);
    clock += 50 * 60_000;
    await api.repos.visibility({ owner: 'octo', name: 'app-public' });
    expect(mints(from)).toHaveLength(1);
    // GitHub's tokens live an hour; one with less than five minutes left is replaced before use.
    clock += 6 * 60_000;
    await api.repos.visibility({ owner: 'octo', name: 'app-public' });
    await api.repos.visibility({ owner: 'octo', name: 'app-public' });
    expect(mints(from)).toHaveLength(2);
    expect(callsSince(from).filter((c) => c.endsWith(' invalid'))).toEqual([]);
  });

  it('checks collaborator permission by GitHub user id through the GitHub App (JWT, installation token)', async () => {
    const check = api.repos.collaboratorAccess!;
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 1001 })).resolves.toEqual({
      kind: 'granted',
      permission: 'write',
      login: 'alice',
    });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 1002 })).resolves.toEqual({
      kind: 'denied',
      permission: 'none',
      login: 'bob',
    });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 1003 })).resolves.toEqual({
      kind: 'denied',
      permission: null,
      login: 'mallory',
    });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 4040 })).resolves.toEqual({
      kind: 'denied',
      permission: null,
      login: null,
    });
    await expect(check({ owner: 'octo', name: 'no-app', githubUserId: 1001 })).resolves.toEqual({
      kind: 'app_not_installed',
    });
    expect(noApp.repos.collaboratorAccess).toBeNull();
  });

  it('a login renamed and taken by another account grants nothing to the old id, even mid-check', async () => {
    const check = api.repos.collaboratorAccess!;
    // id 1001 renamed itself; id 2001 registered `alice` and has the access.
    gh.addUser({ id: 1001, login: 'alice-renamed' });
    gh.addUser({ id: 2001, login: 'alice' });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 1001 })).resolves.toMatchObject({
      kind: 'denied',
    });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 2001 })).resolves.toMatchObject({
      kind: 'granted',
      login: 'alice',
    });
    // The rename lands between reading id 1001's login and asking for `alice`'s permission: the answer names id 2001.
    gh.addUser({ id: 1001, login: 'alice' });
    gh.addUser({ id: 2001, login: 'alice' });
    await expect(check({ owner: 'octo', name: 'secret', githubUserId: 1001 })).resolves.toMatchObject({
      kind: 'denied',
    });
    gh.addUser({ id: 2001, login: 'alice-two' });
    gh.addUser({ id: 1001, login: 'alice' });
  });

  it("reports GitHub outages as errors carrying GitHub's HTTP status as the upstream's, not ours", async () => {
    gh.failNext({ path: '/api/v3/repos/octo/public-repo', status: 502 });
    const err = await api.repos.visibility({ owner: 'octo', name: 'public-repo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).upstreamStatus).toBe(502);
    expect(err).not.toHaveProperty('status');
  });
});
