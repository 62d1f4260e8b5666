import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import type { TestApp } from '../support/test-app.js';
import { ask, linkGitHub, startSlackSide } from './slack-test-kit.js';

const TEAM = 'TACCPRIV';
const ALICE = { id: 7101, login: 'alice-gh' };

/**
 * An account subscription made by a verified user posts the account's private repos that user can read, checked per
 * repo through the GitHub App (and cached); over real HTTP against the emulator and the fake Slack and GitHub.
 */
describe('private repositories through a whole-account subscription', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  let nextPr = 1;
  const say = (text: string) => ask(t, { workspaceId: TEAM, userId: 'UALICE', text, channelId: 'CALL' });
  const posted = () => t.slack.messages(TEAM, 'CALL').map((m) => `${String(m.metadata?.event_payload['repo'])}`);
  const permissionChecks = (repo: string) =>
    gh.calls.filter((c) => c.path.startsWith(`/api/v3/repos/${repo}/collaborators/`)).length;

  async function open(repo: string, repoPrivate: boolean): Promise<void> {
    const number = nextPr++;
    const payload = prPayload({ action: 'opened', repo, number, updatedAt: '2024-01-01T00:00:00Z', repoPrivate });
    await sendAndSettle({ t, delivery: { event: 'pull_request', payload }, prNumber: number, teams: [TEAM], repo });
  }

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [{ id: 'CALL', name: 'all', isPrivate: false, botIsMember: true }],
    });
    gh.addUser(ALICE);
    gh.addRepo({ fullName: 'octo-org/web', private: false });
    gh.addRepo({
      fullName: 'octo-org/secret',
      private: true,
      appInstallationId: 31,
      permissions: { 'alice-gh': 'read' },
    });
    gh.addRepo({ fullName: 'octo-org/vault', private: true, appInstallationId: 31, permissions: {} });
    await linkGitHub(t, gh, { workspaceId: TEAM, userId: 'UALICE', github: ALICE });
  });
  afterAll(() => close());

  it('posts the private repos the subscriber can read, and not the others', async () => {
    expect(await say('subscribe octo-org')).toContain(
      'Private repositories of `octo-org` are included where your GitHub account can read them',
    );
    expect(await say('list')).toContain(
      '`octo-org/*` (every public repository and the private ones GitHub id 7101 can read) → <#CALL>',
    );
    await open('octo-org/secret', true);
    await open('octo-org/vault', true);
    await open('octo-org/web', false);
    expect(posted()).toEqual(['octo-org/secret', 'octo-org/web']);
  });

  it('asks GitHub once per repo, not once per PR', async () => {
    const before = permissionChecks('octo-org/secret');
    await open('octo-org/secret', true);
    expect(posted().filter((r) => r === 'octo-org/secret')).toHaveLength(2);
    expect(permissionChecks('octo-org/secret')).toBe(before);
    expect(before).toBe(1);
  });

  it('after the subscriber unlinks, only the public repos are posted', async () => {
    await say('unlink');
    expect(await say('list')).toContain('`octo-org/*` (every public repository) → <#CALL>');
    const count = posted().length;
    await open('octo-org/secret', true);
    await open('octo-org/web', false);
    expect(posted().slice(count)).toEqual(['octo-org/web']);
  });
});
