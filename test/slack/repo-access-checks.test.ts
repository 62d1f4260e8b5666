import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';
import { ask, startSlackSide } from './slack-test-kit.js';

const TEAM = 'TACCESS';

describe('/notify subscribe checks access by GitHub user id, and visibility through the GitHub App', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const say = (text: string, userId: string) => ask(t, { workspaceId: TEAM, userId, text, channelId: 'CGENERAL' });
  const link = (slackUserId: string, githubUserId: number, githubLogin: string) =>
    t.deps.store.users.linkGithub({ workspaceId: TEAM, slackUserId, githubUserId, githubLogin, at: new Date() });

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [{ id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true }],
    });
    gh.addRepo({
      fullName: 'octo/secret',
      private: true,
      appInstallationId: 31,
      permissions: { alice: 'write', carol: 'read' },
    });
    gh.addRepo({ fullName: 'octo/app-public', private: false, appInstallationId: 31 });
    gh.addRepo({ fullName: 'octo/plain-public', private: false });
  });
  afterAll(() => close());

  it('a login renamed and re-registered by someone else does not pass the check for the old link', async () => {
    // UOLD linked GitHub id 1 when it was called `alice`; id 1 is now `alice-renamed`, and id 2 took `alice`.
    await link('UOLD', 1, 'alice');
    gh.addUser({ id: 1, login: 'alice-renamed' });
    gh.addUser({ id: 2, login: 'alice' });

    const answer = await say('subscribe octo/secret', 'UOLD');
    expect(answer).not.toContain('now posts in');
    expect(answer).toContain('no access to `octo/secret`');
    await expect(t.deps.store.subscriptions.get(TEAM, 'octo/secret')).resolves.toBeNull();
  });

  it('records the verified user id that proved access to a private repo', async () => {
    await link('UCAROL', 3, 'carol-old-name');
    gh.addUser({ id: 3, login: 'carol' });
    expect(await say('subscribe octo/secret', 'UCAROL')).toContain('`octo/secret` now posts in <#CGENERAL>');
    await expect(t.deps.store.subscriptions.get(TEAM, 'octo/secret')).resolves.toMatchObject({
      enabled: true,
      createdBy: 'UCAROL',
      access: { kind: 'github_user', githubUserId: 3 },
    });
  });

  it('checks a public repo with the installation token where the App is installed, anonymously only where it is not', async () => {
    const from = gh.calls.length;
    expect(await say('subscribe octo/app-public', 'UDAVE')).toContain('now posts in');
    expect(await say('subscribe octo/plain-public', 'UDAVE')).toContain('now posts in');
    const reads = gh.calls
      .slice(from)
      .filter((c) => c.method === 'GET' && /^\/api\/v3\/repos\/octo\/[^/]+$/.test(c.path));
    expect(reads).toEqual([
      { method: 'GET', path: '/api/v3/repos/octo/app-public', auth: 'installation_token' },
      { method: 'GET', path: '/api/v3/repos/octo/plain-public', auth: 'none' },
    ]);
    await expect(t.deps.store.subscriptions.get(TEAM, 'octo/app-public')).resolves.toMatchObject({
      access: { kind: 'public' },
    });
  });
});
