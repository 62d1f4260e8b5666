import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';
import { ask, startSlackSide } from './slack-test-kit.js';

describe('GitHub identity linking (/notify link → GET /github/oauth/callback)', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  let clock = new Date('2030-01-01T12:00:00Z');

  /** Runs `/notify link` and returns the state from the GitHub authorize URL it answered with. */
  const startLink = async (teamId: string, userId: string) => {
    const text = await ask(t, { teamId, userId, text: 'link' });
    const url = new URL(/<([^|>]+)\|/.exec(text)?.[1] ?? '');
    return url.searchParams.get('state') ?? '';
  };
  const callback = async (query: Record<string, string>) => {
    const res = await fetch(`${t.baseUrl}/github/oauth/callback?${new URLSearchParams(query)}`);
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide({ now: () => clock }));
    await t.installWorkspace({ teamId: 'TLINKA' });
    await t.installWorkspace({ teamId: 'TLINKB' });
  });
  afterAll(() => close());

  it('links the Slack user who asked, verified with the numeric GitHub id, and keeps no GitHub token', async () => {
    const state = await startLink('TLINKA', 'UANN');
    const res = await callback({ code: gh.createOAuthCode({ id: 583231, login: 'octocat' }), state });
    expect(res.status).toBe(200);
    expect(res.html).toContain('GitHub account @octocat is linked');
    expect(res.html).toContain('slack://open?team=TLINKA');
    const user = await t.deps.store.users.get('TLINKA', 'UANN');
    expect(user).toMatchObject({ githubUserId: 583231, githubLogin: 'octocat', verified: true });
    const doc = await t.deps.db.collection('users').doc('TLINKA#UANN').get();
    expect(JSON.stringify(doc.data())).not.toMatch(/gho_/);
    expect((await t.deps.store.audit.listForTeam('TLINKA')).map((e) => e.action)).toContain('github.link');
    expect(await ask(t, { teamId: 'TLINKA', userId: 'UANN', text: 'status' })).toContain('@octocat (verified, GitHub id 583231)');
  });

  it('refuses a reused state with a page saying so, and changes nothing', async () => {
    const state = await startLink('TLINKA', 'UBEN');
    expect((await callback({ code: gh.createOAuthCode({ id: 11, login: 'ben' }), state })).status).toBe(200);
    const again = await callback({ code: gh.createOAuthCode({ id: 666, login: 'intruder' }), state });
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');
    await expect(t.deps.store.users.get('TLINKA', 'UBEN')).resolves.toMatchObject({ githubUserId: 11, githubLogin: 'ben' });
  });

  it('refuses an expired state (older than 15 minutes)', async () => {
    const state = await startLink('TLINKA', 'UCLEM');
    clock = new Date(clock.getTime() + 16 * 60 * 1000);
    const res = await callback({ code: gh.createOAuthCode({ id: 12, login: 'clem' }), state });
    expect(res.status).toBe(400);
    expect(res.html).toContain('expired');
    await expect(t.deps.store.users.get('TLINKA', 'UCLEM')).resolves.toBeNull();
  });

  it('a state started by one user links only that user, whatever the callback URL says', async () => {
    const state = await startLink('TLINKA', 'UDORA');
    const res = await callback({ code: gh.createOAuthCode({ id: 13, login: 'dora' }), state, user_id: 'UEVE', team_id: 'TLINKB' });
    expect(res.status).toBe(200);
    await expect(t.deps.store.users.get('TLINKA', 'UDORA')).resolves.toMatchObject({ githubUserId: 13, verified: true });
    await expect(t.deps.store.users.get('TLINKA', 'UEVE')).resolves.toBeNull();
    await expect(t.deps.store.users.get('TLINKB', 'UEVE')).resolves.toBeNull();
    await expect(t.deps.store.users.get('TLINKB', 'UDORA')).resolves.toBeNull();
  });

  it('explains a forged state, a cancelled authorization and a GitHub refusal', async () => {
    const forged = await callback({ code: 'x', state: 'not-our-state' });
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('not issued by PR Notifier');

    const denied = await callback({ error: 'access_denied', state: await startLink('TLINKA', 'UFAY') });
    expect(denied.status).toBe(400);
    expect(denied.html).toContain('You cancelled on GitHub');

    const badCode = await callback({ code: 'made-up', state: await startLink('TLINKA', 'UFAY') });
    expect(badCode.status).toBe(502);
    expect(badCode.html).toContain('The code passed is incorrect or expired');
    await expect(t.deps.store.users.get('TLINKA', 'UFAY')).resolves.toBeNull();

    const bare = await callback({});
    expect(bare.status).toBe(400);
  });

  it('links one GitHub account in several workspaces', async () => {
    const inB = await startLink('TLINKB', 'UANN');
    expect((await callback({ code: gh.createOAuthCode({ id: 583231, login: 'octocat' }), state: inB })).status).toBe(200);
    const linked = await t.deps.store.users.findVerifiedByGithubId(583231);
    expect(linked.map((u) => u.teamId).sort()).toEqual(['TLINKA', 'TLINKB']);
  });
});
