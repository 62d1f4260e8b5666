import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, createWorld, REPO, type World } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

let w: World;
const ALICE = { id: 'UALICE', name: 'alice' };
beforeAll(async () => {
  w = await createWorld({ teams: ['TN1', 'TN2', 'TN3'], subscribe: false });
  const [t1, t2, t3] = w.teams.map((x) => x.workspaceId);
  const subs = w.t.deps.store.subscriptions;
  const now = new Date();
  // TN1: subscribed by Alice, who can get a DM. TN2: auto-registered. TN3: subscribed by someone the DM cannot reach.
  await subs.subscribe({
    workspaceId: t1 ?? '',
    repoFullName: REPO,
    channelId: team(0).channelId,
    actor: ALICE.id,
    at: now,
  });
  w.t.slack.addWorkspace({ workspaceId: t1 ?? '', botToken: team(0).botToken, users: [ALICE] });
  await subs.autoRegister({
    workspaceId: t2 ?? '',
    repoFullName: REPO,
    channelId: team(1).channelId,
    authorSlackUserId: 'UAUTHOR',
    at: now,
  });
  await subs.subscribe({
    workspaceId: t3 ?? '',
    repoFullName: REPO,
    channelId: team(2).channelId,
    actor: 'UGONE',
    at: now,
  });
});
afterAll(async () => w?.t.close());

const team = (i: number) => w.teams[i] ?? { workspaceId: '', channelId: '', botToken: '' };
const workspaceIds = () => w.teams.map((x) => x.workspaceId);
const dmsToAlice = () => w.t.slack.messages(team(0).workspaceId, `D${ALICE.id}`);
const postsOutsideChannel = (i: number) =>
  w.t.slack.callsTo('chat.postMessage', team(i).botToken).filter((c) => c.args['channel'] !== team(i).channelId);
const open = (number: number) =>
  sendAndSettle({
    t: w.t,
    delivery: { event: 'pull_request', payload: prPayload({ action: 'opened', number, updatedAt: at(number) }) },
    prNumber: number,
    teams: workspaceIds(),
  });
const setChannel = (i: number, extra: Parameters<typeof channel>[1]) =>
  w.t.slack.addChannel(team(i).workspaceId, channel(team(i).channelId, extra));

describe('a subscription stopped by a permanent channel error', () => {
  it('DMs the person who subscribed once, not the auto-registration, and never retries a failed DM', async () => {
    for (const i of [0, 1, 2]) setChannel(i, { archived: true });
    // Three PRs at once: three jobs per workspace fail on the same archived channel.
    await Promise.all([1, 2, 3].map(open));

    for (const i of [0, 1, 2]) {
      expect(await w.t.deps.store.subscriptions.get(team(i).workspaceId, REPO)).toMatchObject({
        enabled: false,
        disabledReason: 'is_archived',
      });
      const audit = await w.t.deps.store.audit.listForWorkspace(team(i).workspaceId);
      expect(audit.filter((a) => a.action === 'subscription.disable')).toHaveLength(1);
    }
    expect(dmsToAlice()).toHaveLength(1);
    const [dm] = dmsToAlice();
    expect(dm?.text).toContain(`*${REPO}*`);
    expect(dm?.text).toContain(`<#${team(0).channelId}>`);
    expect(dm?.text).toContain('archived');
    expect(dm?.text).toContain(`\`/notify subscribe ${REPO} #channel\``);

    expect(postsOutsideChannel(1)).toEqual([]);
    // UGONE cannot be reached: one attempt, logged, and the jobs still finished on their first attempt.
    expect(postsOutsideChannel(2).map((c) => c.args['channel'])).toEqual(['UGONE']);
    for (const number of [1, 2, 3]) {
      const job = await w.t.deps.db
        .collection(COLLECTIONS.jobs)
        .doc(ids.reconcileJob({ workspaceId: team(2).workspaceId, repoFullName: REPO, prNumber: number }))
        .get();
      expect(job.data()).toMatchObject({ status: 'done', attempts: 1 });
    }
  });

  it('tells again when the subscription, re-subscribed, stops a second time', async () => {
    setChannel(0, { archived: false });
    await w.t.deps.store.subscriptions.subscribe({
      workspaceId: team(0).workspaceId,
      repoFullName: REPO,
      channelId: team(0).channelId,
      actor: ALICE.id,
      at: new Date(),
    });
    await open(4);
    expect(
      w.t.slack.messages(team(0).workspaceId, team(0).channelId).filter((m) => m.text.includes('#4 ')),
    ).toHaveLength(1);
    expect(dmsToAlice()).toHaveLength(1);

    setChannel(0, { botIsMember: false });
    await open(5);
    expect(await w.t.deps.store.subscriptions.get(team(0).workspaceId, REPO)).toMatchObject({
      enabled: false,
      disabledReason: 'not_in_channel',
    });
    expect(dmsToAlice()).toHaveLength(2);
    expect(dmsToAlice()[1]?.text).toContain('no longer a member');
  });
});
