import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubHttp } from '../../src/github-api/http.js';
import { createGitHubApi, type GitHubApi } from '../../src/github-api/index.js';
import { createGithubTeams } from '../../src/github-api/team-members.js';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { githubConfigOf } from '../support/fake-github-config.js';
import { createRecordingLog, type LogLine } from '../support/pipeline-doubles/recording-log.js';

/** A team review request mentions the team's members: what the GitHub App can tell of them, over the fake GitHub. */
describe("GitHub teams' members through the GitHub App", () => {
  let gh: FakeGitHub;
  let api: GitHubApi;
  let lines: LogLine[];
  // One clock for the app and GitHub, so the cache's minutes can be run forward.
  let clock = Date.now();
  const people = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: from + i, login: `dev-${from + i}` }));

  const apiWith = (overrides: { app?: boolean } = {}): GitHubApi => {
    const log = createRecordingLog(lines);
    const app = overrides.app === false ? { appId: null, appPrivateKey: null } : {};
    const config = { ...githubConfigOf(gh), ...app };
    return createGitHubApi({ config, now: () => new Date(clock), log });
  };
  const callsSince = (from: number) => gh.calls.slice(from).map((c) => `${c.method} ${c.path} ${c.auth}`);

  beforeAll(async () => {
    gh = await createFakeGitHub({ now: () => clock });
    gh.addOrg({ login: 'octo-org', appInstallationId: 501 });
    gh.addOrg({ login: 'no-app-org' });
    gh.addOrg({ login: 'no-members-org', appInstallationId: 502, permissions: { pull_requests: 'read' } });
    gh.addTeam({ org: 'octo-org', slug: 'reviewers', members: people(1, 150) });
    gh.addTeam({ org: 'octo-org', slug: 'small', members: people(900, 2) });
    gh.addTeam({ org: 'no-app-org', slug: 'reviewers', members: people(1, 2) });
    gh.addTeam({ org: 'no-members-org', slug: 'reviewers', members: people(1, 2) });
  });
  beforeEach(() => {
    lines = [];
    api = apiWith();
  });
  afterAll(() => gh.close());

  it("reads every page of a team's members with the organization installation's token", async () => {
    const from = gh.calls.length;
    const members = await api.teams.members({ org: 'Octo-Org', teamSlug: 'reviewers' });
    expect(members).toHaveLength(150);
    expect(members?.[0]).toEqual({ id: 1, login: 'dev-1' });
    expect(members?.[149]).toEqual({ id: 150, login: 'dev-150' });
    expect(callsSince(from)).toEqual([
      'GET /api/v3/orgs/Octo-Org/installation app_jwt',
      'POST /api/v3/app/installations/501/access_tokens app_jwt',
      'GET /api/v3/orgs/Octo-Org/teams/reviewers/members installation_token',
      'GET /api/v3/orgs/Octo-Org/teams/reviewers/members installation_token',
    ]);
  });

  it('a burst of look-ups for one team costs one round of calls; a few minutes later GitHub is asked again', async () => {
    const from = gh.calls.length;
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => api.teams.members({ org: 'octo-org', teamSlug: 'small' })),
    );
    expect(burst.every((m) => m?.length === 2)).toBe(true);
    await api.teams.members({ org: 'octo-org', teamSlug: 'small' });
    expect(callsSince(from).filter((c) => c.includes('/members'))).toHaveLength(1);
    // A caller changing its answer changes nobody else's.
    burst[0]?.splice(0);
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'small' })).toHaveLength(2);

    gh.addTeam({ org: 'octo-org', slug: 'small', members: people(900, 3) });
    clock += 6 * 60_000;
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'small' })).toHaveLength(3);
    expect(callsSince(from).filter((c) => c.includes('/members'))).toHaveLength(2);
  });

  it('is null without App credentials, without the App on the org, for an unknown team, or without Members access', async () => {
    const from = gh.calls.length;
    expect(await apiWith({ app: false }).teams.members({ org: 'octo-org', teamSlug: 'reviewers' })).toBeNull();
    expect(callsSince(from)).toEqual([]);
    expect(await api.teams.members({ org: 'no-app-org', teamSlug: 'reviewers' })).toBeNull();
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'nobody' })).toBeNull();
    expect(await api.teams.members({ org: 'no-members-org', teamSlug: 'reviewers' })).toBeNull();
    // The App lacking the Members permission is worth an operator's attention; an unknown team is not.
    expect(lines).toMatchObject([
      {
        level: 'warn',
        msg: "could not read a GitHub team's members",
        fields: { org: 'no-members-org', status: 403, reason: expect.stringContaining('Members permission') },
      },
    ]);
  });

  it('is null when GitHub fails, logs why without a token, and does not ask again at once', async () => {
    gh.failNext({ path: '/api/v3/orgs/octo-org/teams/flaky/members', status: 502 });
    gh.addTeam({ org: 'octo-org', slug: 'flaky', members: people(700, 1) });
    const from = gh.calls.length;
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'flaky' })).toBeNull();
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'flaky' })).toBeNull();
    expect(callsSince(from).filter((c) => c.includes('/members'))).toHaveLength(1);
    expect(lines).toMatchObject([{ level: 'warn', fields: { org: 'octo-org', teamSlug: 'flaky', status: 502 } }]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toMatch(/ghs_|Bearer|PRIVATE KEY/);
    clock += 60_000;
    expect(await api.teams.members({ org: 'octo-org', teamSlug: 'flaky' })).toEqual([{ id: 700, login: 'dev-700' }]);
  });

  it('keeps a bounded number of teams', async () => {
    const asked: string[] = [];
    const teams = createGithubTeams({
      http: createGitHubHttp(),
      apiUrl: gh.apiUrl,
      tokens: {
        forRepo: () => Promise.resolve(null),
        forOrg: async (org) => {
          asked.push(org);
          return null;
        },
      },
      log: createRecordingLog(lines),
      now: () => new Date(clock),
      maxTeams: 2,
    });
    for (const slug of ['a', 'b', 'c', 'a']) await teams.members({ org: 'octo-org', teamSlug: slug });
    // `a` was dropped to make room for `c`, so it is looked up again.
    expect(asked).toHaveLength(4);
    await teams.members({ org: 'octo-org', teamSlug: 'c' });
    expect(asked).toHaveLength(4);
  });
});
