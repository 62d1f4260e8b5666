import type { FakeGitHubRepo } from '../fakes/fake-github.js';
import type { FakeChannel, FakeUser } from '../fakes/fake-slack-types.js';

/**
 * What local mode's first start creates: one Slack workspace with a couple of people and channels, and on the local
 * GitHub a public and a private repository and a GitHub account for each person (named after them, so the link flow
 * has someone to be).
 */
export const LOCAL_WORKSPACE = { workspaceId: 'T0LOCAL01', teamName: 'Local Workspace' };

export const LOCAL_CHANNELS: FakeChannel[] = [
  { id: 'C0LOCALGEN', name: 'general', isPrivate: false, botIsMember: false },
  { id: 'C0LOCALPRS', name: 'pull-requests', isPrivate: false, botIsMember: false },
];

export const LOCAL_PEOPLE: Array<FakeUser & { github: { id: number; login: string } }> = [
  { id: 'U0LOCALALI', name: 'alice', github: { id: 5_000_001, login: 'alice-codes' } },
  { id: 'U0LOCALBOB', name: 'bob', github: { id: 5_000_002, login: 'bob-reviews' } },
];

export const LOCAL_REPOS: FakeGitHubRepo[] = [
  { fullName: 'octo-org/hello-world', private: false },
  {
    fullName: 'octo-org/secret-plans',
    private: true,
    appInstallationId: 7_001,
    permissions: { 'alice-codes': 'write' },
  },
];
