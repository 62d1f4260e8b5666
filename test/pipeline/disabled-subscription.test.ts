import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, startSlackSide } from '../slack/slack-test-kit.js';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, REPO } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

const TEAM = 'TDIS';
const CHANNEL = 'CDIS';
const ALICE = { id: 'UALICE', name: 'alice' };
let t: TestApp;
let gh: FakeGitHub;
let close: () => Promise<void>;
let botToken: string;
beforeAll(async () => {
  ({ t, gh, close } = await startSlackSide({ withGitHubApp: false }));
  ({ botToken } = await t.installWorkspace({ workspaceId: TEAM, channels: [channel(CHANNEL)] }));
  t.slack.addWorkspace({ workspaceId: TEAM, botToken, users: [ALICE] });
  gh.addRepo({ fullName: REPO, private: false });
});
afterAll(async () => close?.());

const subscribe = () =>
  ask(t, { workspaceId: TEAM, userId: ALICE.id, text: `subscribe ${REPO} <#${CHANNEL}|cdis>`, channelId: CHANNEL });
const event = (number: number, action: string, seconds: number) =>
  sendAndSettle({
    t,
    delivery: {
      event: 'pull_request',
      payload: prPayload({ action, number, title: `PR ${number} at ${seconds}`, updatedAt: at(seconds) }),
    },
    prNumber: number,
    teams: [TEAM],
  });
const slackCallsAbout = (number: number) =>
  t.slack.calls.filter(
    (c) =>
      c.token === botToken && c.args['channel'] === CHANNEL && String(c.args['text'] ?? '').includes(`#${number} `),
  );
const messagesAbout = (number: number) => t.slack.messages(TEAM, CHANNEL).filter((m) => m.text.includes(`#${number} `));

describe('a disabled subscription, end to end', () => {
  it('gets no posts while disabled; the re-subscribe the DM suggests re-enables it and the next event posts', async () => {
    expect(await subscribe()).toContain(`now posts in <#${CHANNEL}>`);
    t.slack.addChannel(TEAM, channel(CHANNEL, { archived: true }));
    await event(1, 'opened', 1);
    expect(await t.deps.store.subscriptions.get(TEAM, REPO)).toMatchObject({
      enabled: false,
      disabledReason: 'is_archived',
      createdBy: ALICE.id,
    });
    const [dm] = t.slack.messages(TEAM, `D${ALICE.id}`);
    expect(dm?.text).toContain(`/notify subscribe ${REPO} #channel`);

    // The channel is usable again, but the subscription stays off until someone subscribes again.
    t.slack.addChannel(TEAM, channel(CHANNEL));
    await event(2, 'opened', 2);
    await event(1, 'edited', 3);
    expect(slackCallsAbout(2)).toEqual([]);
    expect(slackCallsAbout(1)).toHaveLength(1);
    expect(t.slack.messages(TEAM, CHANNEL)).toEqual([]);

    expect(await subscribe()).toContain(`now posts in <#${CHANNEL}>`);
    expect(await t.deps.store.subscriptions.get(TEAM, REPO)).toMatchObject({ enabled: true, disabledReason: null });
    const audit = (await t.deps.store.audit.listForWorkspace(TEAM)).map((a) => a.action);
    expect(audit.filter((a) => a === 'subscription.disable')).toHaveLength(1);
    expect(audit).toContain('subscription.update');

    await event(3, 'opened', 4);
    await event(2, 'edited', 5);
    expect(messagesAbout(3)).toHaveLength(1);
    // A PR opened while the subscription was off is posted, once, with its current state, at its next event.
    expect(messagesAbout(2)).toHaveLength(1);
    expect(messagesAbout(2)[0]?.text).toContain('PR 2 at 5');
    expect(messagesAbout(1)).toEqual([]);
  });
});
