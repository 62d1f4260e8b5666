import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { AUTHOR, prPayload } from '../../dev/local/pr-payloads.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import { ask, installViaOAuth, linkGitHub, startSlackSide } from '../slack/slack-test-kit.js';
import { eventually } from '../support/eventually.js';
import { slackEventEnvelope } from '../support/slack-signing.js';
import type { TestApp } from '../support/test-app.js';

/**
 * One team's whole story through the real routes only, the way people meet the product: install with
 * "Add to Slack", subscribe, link GitHub, see PRs posted, uninstall, reinstall. It proves the pieces fit:
 * the installation the OAuth flow stores is the one the pipeline posts with.
 */
const TEAM = 'TJOURNEY';
const REPO = 'octo-org/hello-world';
const GENERAL = 'CGENERAL';

describe('a team from "Add to Slack" to merged PRs', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const opened = (number: number) => ({
    event: 'pull_request',
    payload: prPayload({
      action: 'opened',
      number,
      repo: REPO,
      title: `Journey PR ${number}`,
      updatedAt: new Date(Date.UTC(2030, 0, 1, 0, number)).toISOString(),
    }),
  });
  const posts = () => t.slack.messages(TEAM, GENERAL);
  /** The tokens the PR posts went out with (the link's DM to the user is another chat.postMessage). */
  const postTokens = () =>
    t.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args['channel'] === GENERAL)
      .map((c) => c.token);

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    gh.addRepo({ fullName: REPO, private: false });
  });
  afterAll(() => close());

  it('installs, subscribes, links GitHub, and gets its PRs posted with the author mentioned', async () => {
    const install = await installViaOAuth(t, { workspaceId: TEAM, teamName: 'Journey', botToken: 'xoxb-journey-1' });
    expect(install.status).toBe(200);
    t.slack.addWorkspace({
      workspaceId: TEAM,
      botToken: 'xoxb-journey-1',
      users: [{ id: 'UALICE', name: 'alice' }],
      channels: [{ id: GENERAL, name: 'general', isPrivate: false, botIsMember: true }],
    });

    expect(
      await ask(t, { workspaceId: TEAM, userId: 'UALICE', channelId: GENERAL, text: `subscribe ${REPO}` }),
    ).toContain(`\`${REPO}\` now posts in <#${GENERAL}>`);

    expect((await linkGitHub(t, gh, { workspaceId: TEAM, userId: 'UALICE', github: AUTHOR })).status).toBe(200);
    expect(t.slack.messages(TEAM, 'DUALICE')[0]?.text).toContain('is now linked to you');

    await sendAndSettle({ t, delivery: opened(1), prNumber: 1, teams: [TEAM], repo: REPO });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.text).toContain('Journey PR 1');
    expect(JSON.stringify(posts()[0]?.blocks)).toContain('<@UALICE>');
    expect(postTokens()).toEqual(['xoxb-journey-1']);
  });

  it('stops posting once the app is uninstalled, and resumes with the new token after a reinstall', async () => {
    expect(
      (await t.postSlackEvent(slackEventEnvelope({ workspaceId: TEAM, event: { type: 'app_uninstalled' } }))).status,
    ).toBe(200);
    await eventually(async () => expect((await t.deps.store.workspaces.get(TEAM))?.uninstalledAt).toBeInstanceOf(Date));

    await sendAndSettle({ t, delivery: opened(2), prNumber: 2, teams: [TEAM], repo: REPO });
    expect(posts()).toHaveLength(1);

    expect(
      (await installViaOAuth(t, { workspaceId: TEAM, teamName: 'Journey', botToken: 'xoxb-journey-2' })).status,
    ).toBe(200);
    await sendAndSettle({ t, delivery: opened(3), prNumber: 3, teams: [TEAM], repo: REPO });
    expect(
      posts()
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Journey PR 3');
    expect(postTokens()).toEqual(['xoxb-journey-1', 'xoxb-journey-2']);
  });
});
