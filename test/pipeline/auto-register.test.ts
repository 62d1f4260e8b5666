import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { AUTHOR, prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';

const REPO = 'octo-org/auto-repo';
let w: World;
beforeAll(async () => {
  // Installed but not subscribed to REPO.
  w = await createWorld({ teams: ['TAUTO', 'TOTHER'], subscribe: false });
});
afterAll(async () => w?.t.close());

const store = () => w.t.deps.store;
const settle = () => new Promise((r) => setTimeout(r, 1200));

async function linkAuthor(workspaceId: string, channelId: string, options: { verified: boolean }) {
  if (options.verified) {
    await store().users.linkGithub({
      workspaceId,
      slackUserId: 'UAUTHOR',
      githubUserId: AUTHOR.id,
      githubLogin: AUTHOR.login,
      at: new Date(),
    });
  }
  await store().users.setDefaultChannel({ workspaceId, slackUserId: 'UAUTHOR', channelId, at: new Date() });
}

describe('auto-registration', () => {
  it('subscribes the verified author’s workspace to the repo and posts there, mentioning them', async () => {
    const [auto] = w.teams;
    await linkAuthor(auto!.workspaceId, `D${auto!.workspaceId}`, { verified: true });
    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', repo: REPO, number: 1, updatedAt: at(1) }),
    });
    await eventually(() => expect(w.t.slack.messages(auto!.workspaceId, `D${auto!.workspaceId}`)).toHaveLength(1));
    expect(w.t.slack.messages(auto!.workspaceId, `D${auto!.workspaceId}`)[0]?.text).toContain('<@UAUTHOR>');
    expect(await store().subscriptions.get(auto!.workspaceId, REPO)).toMatchObject({
      createdBy: 'auto',
      channelId: `D${auto!.workspaceId}`,
      enabled: true,
    });
    expect((await store().audit.listForWorkspace(auto!.workspaceId)).map((a) => a.action)).toContain(
      'subscription.auto_create',
    );
  });

  it('does not come back after the workspace unsubscribed', async () => {
    const [auto] = w.teams;
    await store().subscriptions.unsubscribe({
      workspaceId: auto!.workspaceId,
      repoFullName: REPO,
      actor: 'UAUTHOR',
      at: new Date(),
    });
    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', repo: REPO, number: 2, updatedAt: at(2) }),
    });
    await settle();
    expect(await store().subscriptions.get(auto!.workspaceId, REPO)).toBeNull();
    expect(
      w.t.slack.messages(auto!.workspaceId, `D${auto!.workspaceId}`).filter((m) => m.text.includes('#2 ')),
    ).toHaveLength(0);
  });

  it('does nothing for an author who is not verified', async () => {
    const [, other] = w.teams;
    await linkAuthor(other!.workspaceId, `D${other!.workspaceId}`, { verified: false });
    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', repo: REPO, number: 3, updatedAt: at(3) }),
    });
    await settle();
    expect(await store().subscriptions.get(other!.workspaceId, REPO)).toBeNull();
    expect(w.t.slack.callsTo('chat.postMessage', other!.botToken)).toHaveLength(0);
  });
});
