import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, startSlackSide } from '../slack/slack-test-kit.js';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, REPO } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';
import { createFirestorePrStateStore } from '../../src/store/pipeline/pr-state-store.js';

// TPUB subscribed while the repo was public; TPROVED through a verified user whose access the App confirmed.
const PUB = { workspaceId: 'TPUB', channelId: 'CPUB', user: { id: 'UALICE', name: 'alice' } };
const PROVED = { workspaceId: 'TPROVED', channelId: 'CPROVED', user: { id: 'UBOB', name: 'bob' } };
const BOB_GITHUB = { id: 7702, login: 'bob-gh' };
const CAROL_GITHUB = { id: 7703, login: 'carol-gh' };

let t: TestApp;
let gh: FakeGitHub;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ t, gh, close } = await startSlackSide());
  for (const w of [PUB, PROVED]) {
    const { botToken } = await t.installWorkspace({ workspaceId: w.workspaceId, channels: [channel(w.channelId)] });
    t.slack.addWorkspace({ workspaceId: w.workspaceId, botToken, users: [w.user] });
  }
  gh.addUser(BOB_GITHUB);
  gh.addUser(CAROL_GITHUB);
});
afterAll(async () => close?.());

const say = (w: typeof PUB, text: string, userId = w.user.id) =>
  ask(t, { workspaceId: w.workspaceId, userId, text, channelId: w.channelId });
const deliver = (o: { number: number; action?: string; seconds: number; repoPrivate: boolean; teams?: string[] }) =>
  sendAndSettle({
    t,
    prNumber: o.number,
    teams: o.teams ?? [PUB.workspaceId, PROVED.workspaceId],
    delivery: {
      event: 'pull_request',
      payload: prPayload({
        action: o.action ?? 'opened',
        number: o.number,
        title: `Secret plan ${o.number}`,
        updatedAt: at(o.seconds),
        repoPrivate: o.repoPrivate,
      }),
    },
  });
const posted = (w: typeof PUB, number: number) =>
  t.slack.messages(w.workspaceId, w.channelId).filter((m) => m.text.includes(`#${number} `));
const dms = (w: typeof PUB) => t.slack.messages(w.workspaceId, `D${w.user.id}`);
const disables = async (workspaceId: string) =>
  (await t.deps.store.audit.listForWorkspace(workspaceId)).filter((e) => e.action === 'subscription.disable');

describe('a repo that turns private', () => {
  it('subscribes one workspace by the public check and one through a verified user with access', async () => {
    gh.addRepo({ fullName: REPO, private: false });
    expect(await say(PUB, `subscribe ${REPO}`)).toContain('now posts in');
    gh.addRepo({
      fullName: REPO,
      private: true,
      appInstallationId: 55,
      permissions: { 'bob-gh': 'read', 'carol-gh': 'write' },
    });
    await t.deps.store.users.linkGithub({
      workspaceId: PROVED.workspaceId,
      slackUserId: PROVED.user.id,
      githubUserId: BOB_GITHUB.id,
      githubLogin: BOB_GITHUB.login,
      at: new Date(),
    });
    expect(await say(PROVED, `subscribe ${REPO}`)).toContain('now posts in');
    await expect(t.deps.store.subscriptions.get(PUB.workspaceId, REPO)).resolves.toMatchObject({
      access: { kind: 'public' },
    });
    await expect(t.deps.store.subscriptions.get(PROVED.workspaceId, REPO)).resolves.toMatchObject({
      access: { kind: 'github_user', githubUserId: BOB_GITHUB.id },
    });
  });

  it('posts nothing where only the public check proved access: suspended, audit-logged, subscriber told once', async () => {
    await deliver({ number: 1, seconds: 1, repoPrivate: true });
    expect(posted(PROVED, 1)).toHaveLength(1);
    expect(posted(PUB, 1)).toEqual([]);
    await expect(t.deps.store.subscriptions.get(PUB.workspaceId, REPO)).resolves.toMatchObject({
      enabled: false,
      disabledReason: 'repo_private',
    });
    expect((await disables(PUB.workspaceId)).map((e) => [e.actor, e.target, e.details?.['reason']])).toEqual([
      ['system', REPO, 'repo_private'],
    ]);
    expect(dms(PUB)).toHaveLength(1);
    expect(dms(PUB)[0]?.text).toContain('private');
    expect(dms(PUB)[0]?.text).toContain(`/notify subscribe ${REPO}`);

    await deliver({ number: 2, seconds: 2, repoPrivate: true });
    await deliver({ number: 1, action: 'edited', seconds: 3, repoPrivate: true });
    expect(posted(PUB, 2)).toEqual([]);
    expect(t.slack.messages(PUB.workspaceId, PUB.channelId)).toEqual([]);
    expect(posted(PROVED, 2)).toHaveLength(1);
    expect(dms(PUB)).toHaveLength(1);
    expect(await disables(PUB.workspaceId)).toHaveLength(1);
    expect(await say(PUB, 'list')).toContain(
      `\`${REPO}\` → <#${PUB.channelId}> (paused: repo_private: the repository turned private`,
    );
  });

  it('a late delivery from before the change does not make the repo public again', async () => {
    await t.deps.store.subscriptions.subscribe({
      workspaceId: PUB.workspaceId,
      repoFullName: REPO,
      channelId: PUB.channelId,
      actor: PUB.user.id,
      at: new Date(),
    });
    // Public-proved again (a test shortcut); an older event that still said public arrives late. It changes nothing
    // (the PR stays private), so no workspace's job runs for it.
    await deliver({ number: 1, action: 'edited', seconds: 0, repoPrivate: false });
    expect(posted(PUB, 1)).toEqual([]);
    await expect(createFirestorePrStateStore(t.deps.db).get(REPO, 1)).resolves.toMatchObject({ repoPrivate: true });
    // The PR's next change runs the job, which finds the public proof wanting before it posts anything.
    await deliver({ number: 1, action: 'closed', seconds: 5, repoPrivate: true });
    expect(posted(PUB, 1)).toEqual([]);
    await expect(t.deps.store.subscriptions.get(PUB.workspaceId, REPO)).resolves.toMatchObject({
      enabled: false,
      disabledReason: 'repo_private',
    });
    expect(dms(PUB)).toHaveLength(2);
  });

  it('a re-subscribe by a verified user with access lifts the suspension and records the new proof', async () => {
    expect(await say(PUB, `subscribe ${REPO}`)).toContain('first link your GitHub account');
    await t.deps.store.users.linkGithub({
      workspaceId: PUB.workspaceId,
      slackUserId: PUB.user.id,
      githubUserId: CAROL_GITHUB.id,
      githubLogin: CAROL_GITHUB.login,
      at: new Date(),
    });
    expect(await say(PUB, `subscribe ${REPO}`)).toContain('now posts in');
    await expect(t.deps.store.subscriptions.get(PUB.workspaceId, REPO)).resolves.toMatchObject({
      enabled: true,
      disabledReason: null,
      access: { kind: 'github_user', githubUserId: CAROL_GITHUB.id },
    });
    await deliver({ number: 3, seconds: 4, repoPrivate: true });
    expect(posted(PUB, 3)).toHaveLength(1);
    expect(await say(PUB, 'list')).toContain(
      `\`${REPO}\` → <#${PUB.channelId}>, private: access of GitHub id ${CAROL_GITHUB.id}`,
    );
  });
});

describe('a verified user who unlinks', () => {
  it('takes the private-repo subscriptions they alone proved with them', async () => {
    const reply = await say(PROVED, 'unlink');
    expect(reply).toContain('unlinked');
    expect(reply).toContain(REPO);
    await expect(t.deps.store.subscriptions.get(PROVED.workspaceId, REPO)).resolves.toMatchObject({
      enabled: false,
      disabledReason: 'github_unlinked',
    });
    expect((await disables(PROVED.workspaceId)).map((e) => [e.actor, e.target, e.details?.['reason']])).toEqual([
      [PROVED.user.id, REPO, 'github_unlinked'],
    ]);

    await deliver({ number: 4, seconds: 5, repoPrivate: true });
    expect(posted(PROVED, 4)).toEqual([]);
    // Another workspace's proof is its own: TPUB (proved by carol) still gets the PR.
    expect(posted(PUB, 4)).toHaveLength(1);
  });
});
