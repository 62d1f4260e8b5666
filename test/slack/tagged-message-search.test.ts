import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessageTag } from '../../src/pipeline/core/message-tag.js';
import { createSlackMessenger } from '../../src/slack/slack-messenger.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

let slack: FakeSlack;
const token = 'xoxb-search';
const key = { workspaceId: 'TSEARCH', channelId: 'CSEARCH', repoFullName: 'Octo-Org/Hello-World', prNumber: 5 };
const tag = toMessageTag(key);
const later = () => new Date(Date.now() + 60_000);
const asMetadata = (t: typeof tag) => ({ event_type: t.eventType, event_payload: t.payload });
beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addWorkspace({
    workspaceId: key.workspaceId,
    botToken: token,
    channels: [{ id: key.channelId, name: 'search', isPrivate: false, botIsMember: true }],
  });
});
afterAll(async () => slack?.close());

describe('looking for a tagged PR message in a channel', () => {
  it("finds it behind a page of newer messages, and not another PR's tag", async () => {
    const client = createQuietClient(slack);
    const messenger = createSlackMessenger(client);
    const oldest = new Date(Date.now() - 1_000);
    const { ts } = await client.chat.postMessage({
      token,
      channel: key.channelId,
      text: 'PR #5',
      metadata: asMetadata(tag),
    });
    const otherPr = toMessageTag({ ...key, prNumber: 6 });
    for (let i = 0; i < 20; i += 1) {
      await client.chat.postMessage({
        token,
        channel: key.channelId,
        text: `chatter ${i}`,
        ...(i === 3 ? { metadata: asMetadata(otherPr) } : {}),
      });
    }
    expect(await messenger.findTaggedMessage({ token, channel: key.channelId, tag, oldest, latest: later() })).toEqual({
      found: { ts },
    });
    const calls = slack.callsTo('conversations.history');
    // Slack's smallest page (15) and a cursor, with metadata asked for.
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args).toMatchObject({
      limit: '15',
      include_all_metadata: 'true',
      oldest: (oldest.getTime() / 1000).toFixed(6),
    });
    expect(calls[0]?.args['latest']).toMatch(/^\d+\.\d{6}$/);
    expect(
      await messenger.findTaggedMessage({
        token,
        channel: key.channelId,
        tag: toMessageTag({ ...key, prNumber: 7 }),
        oldest,
        latest: later(),
      }),
    ).toEqual({ found: null });
    // Only the window asked for is searched.
    expect(
      await messenger.findTaggedMessage({ token, channel: key.channelId, tag, oldest: new Date(), latest: later() }),
    ).toEqual({ found: null });
    expect(
      await messenger.findTaggedMessage({ token, channel: key.channelId, tag, oldest: new Date(0), latest: oldest }),
    ).toEqual({ found: null });
  });

  it("gives up after five pages rather than reading a busy channel's whole history", async () => {
    const client = createQuietClient(slack);
    const channel = 'CBUSY';
    slack.addChannel(key.workspaceId, { id: channel, name: 'busy', isPrivate: false, botIsMember: true });
    const oldest = new Date(Date.now() - 1_000);
    for (let i = 0; i < 80; i += 1) await client.chat.postMessage({ token, channel, text: `chatter ${i}` });
    expect(
      await createSlackMessenger(client).findTaggedMessage({ token, channel, tag, oldest, latest: later() }),
    ).toEqual({ unavailable: 'history_too_long' });
  });
});
