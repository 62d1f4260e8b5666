import { afterAll, beforeAll } from 'vitest';
import { createSlackMessenger } from '../../src/slack/slack-messenger.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';
import { createRecordingSlack } from '../support/pipeline-doubles/recording-slack.js';
import { describeMessengerContract } from './messenger-contract.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

let n = 0;
describeMessengerContract('real (on the fake Slack Web API)', async () => {
  const workspaceId = `TM${(n += 1)}`;
  const token = `xoxb-${workspaceId}`;
  const channel = `C${workspaceId}`;
  const member = { id: channel, name: channel.toLowerCase(), isPrivate: false, botIsMember: true };
  const person = `U${workspaceId}`;
  slack.addWorkspace({ workspaceId, botToken: token, channels: [member], users: [{ id: person, name: 'alice' }] });
  return {
    messenger: createSlackMessenger(createQuietClient(slack)),
    token,
    channel,
    person,
    messages: () => slack.messages(workspaceId, channel),
    repliesOf: (parentTs) => slack.repliesOf(workspaceId, channel, parentTs),
    dms: () => slack.dmsTo(workspaceId, person),
    deleteByPerson: (ts) => slack.deleteMessage(workspaceId, channel, ts),
    archiveChannel: () => slack.addChannel(workspaceId, { ...member, archived: true }),
    revokeToken: () => slack.revokeToken(token),
    rateLimitNext: () => slack.failNext({ token, error: 'ratelimited', retryAfterSeconds: 2 }),
  };
});

describeMessengerContract('recording double', async () => {
  const fake = createRecordingSlack({ now: () => new Date() });
  const channel = 'C1';
  const person = 'UALICE';
  return {
    messenger: fake.messenger,
    token: 'xoxb-T1',
    channel,
    person,
    messages: () => fake.messagesIn(channel),
    repliesOf: (parentTs) => fake.repliesIn(channel, parentTs),
    dms: () => fake.dmsTo(person),
    deleteByPerson: (ts) => fake.deleteByPerson(channel, ts),
    archiveChannel: () => fake.fail({ channel, code: 'is_archived', kind: 'channel', times: Infinity }),
    revokeToken: () => fake.fail({ code: 'token_revoked', kind: 'token', times: Infinity }),
    rateLimitNext: () => fake.fail({ code: 'ratelimited', kind: 'rate_limited', retryAfterMs: 2_000 }),
  };
});
