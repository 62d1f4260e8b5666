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

describe('looking for a tagged message among a thread’s replies', () => {
  it('pages through conversations.replies in the window and never takes the parent for the reply', async () => {
    const client = createQuietClient(slack);
    const messenger = createSlackMessenger(client);
    const channel = 'CTHREAD';
    slack.addChannel(key.workspaceId, { id: channel, name: 'thread', isPrivate: false, botIsMember: true });
    const oldest = new Date(Date.now() - 1_000);
    // The parent carries the very tag looked for: only a reply may answer.
    const parent = await client.chat.postMessage({ token, channel, text: 'PR #5', metadata: asMetadata(tag) });
    const thread = { token, channel, thread_ts: parent.ts ?? '' };
    for (let i = 0; i < 20; i += 1) await client.chat.postMessage({ ...thread, text: `chatter ${i}` });
    const search = { token, channel, tag, oldest, threadTs: parent.ts ?? '' };
    expect(await messenger.findTaggedMessage({ ...search, latest: later() })).toEqual({ found: null });
    const reply = await client.chat.postMessage({ ...thread, text: 'approved', metadata: asMetadata(tag) });
    const before = slack.callsTo('conversations.replies').length;
    expect(await messenger.findTaggedMessage({ ...search, latest: later() })).toEqual({ found: { ts: reply.ts } });
    const calls = slack.callsTo('conversations.replies').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args).toMatchObject({ channel, ts: parent.ts, limit: '15', include_all_metadata: 'true' });
    expect(slack.callsTo('conversations.history').filter((c) => c.args['channel'] === channel)).toEqual([]);
    // Only the window asked for is searched.
    expect(await messenger.findTaggedMessage({ ...search, oldest: new Date(), latest: later() })).toEqual({
      found: null,
    });
  });

  it('a parent that is gone, or a token without the history scope, cannot be searched', async () => {
    const client = createQuietClient(slack);
    const messenger = createSlackMessenger(client);
    const window = { oldest: new Date(Date.now() - 60_000), latest: later() };
    const search = { token, channel: key.channelId, tag, ...window };
    expect(await messenger.findTaggedMessage({ ...search, threadTs: '1700000000.000001' })).toEqual({
      unavailable: 'thread_not_found',
    });
    slack.addWorkspace({ workspaceId: 'TNOHIST', botToken: 'xoxb-nohist', scopes: ['chat:write'] });
    slack.addChannel('TNOHIST', { id: 'CNOHIST', name: 'nohist', isPrivate: false, botIsMember: true });
    const { ts } = await client.chat.postMessage({ token: 'xoxb-nohist', channel: 'CNOHIST', text: 'PR' });
    expect(
      await messenger.findTaggedMessage({ ...search, token: 'xoxb-nohist', channel: 'CNOHIST', threadTs: ts ?? '' }),
    ).toEqual({ unavailable: 'missing_scope_or_not_in_channel' });
    // Slack's reference says channel threads need a user token: a refusal of the bot token is not worth retrying.
    slack.failNext({ method: 'conversations.replies', error: 'not_allowed_token_type' });
    expect(await messenger.findTaggedMessage({ ...search, threadTs: ts ?? '' })).toEqual({
      unavailable: 'missing_scope_or_not_in_channel',
    });
  });
});

describe('looking for a tagged DM by the person’s user id', () => {
  const dmTeam = { workspaceId: 'TDM', botToken: 'xoxb-dm' };
  const person = 'UDMALICE';
  const window = () => ({ oldest: new Date(Date.now() - 60_000), latest: later() });

  it('opens the DM (conversations.open) and searches its history, as after a restart', async () => {
    slack.addWorkspace({ ...dmTeam, users: [{ id: person, name: 'alice' }] });
    const client = createQuietClient(slack);
    const { ts } = await client.chat.postMessage({
      token: dmTeam.botToken,
      channel: person,
      text: 'review requested',
      metadata: asMetadata(tag),
    });
    // A messenger that never posted it (a new process): it must open the DM to know its id.
    const messenger = createSlackMessenger(client);
    const search = { token: dmTeam.botToken, channel: person, tag };
    expect(await messenger.findTaggedMessage({ ...search, ...window() })).toEqual({ found: { ts } });
    expect(slack.callsTo('conversations.open', dmTeam.botToken).at(-1)?.args).toMatchObject({ users: person });
    expect(slack.callsTo('conversations.history', dmTeam.botToken).at(-1)?.args).toMatchObject({
      channel: `D${person}`,
    });
    await messenger.updateMessage({ token: dmTeam.botToken, channel: person, ts: ts ?? '', text: 'done', blocks: [] });
    expect(slack.dmsTo(dmTeam.workspaceId, person).map((m) => m.text)).toEqual(['done']);
  });

  it('an install without im:write or im:history cannot look; an unknown person is gone', async () => {
    const client = createQuietClient(slack);
    const messenger = createSlackMessenger(client);
    const search = { token: dmTeam.botToken, channel: person, tag };
    slack.addWorkspace({ ...dmTeam, users: [{ id: person, name: 'alice' }], scopes: ['chat:write', 'im:history'] });
    expect(await messenger.findTaggedMessage({ ...search, ...window() })).toEqual({ unavailable: 'cannot_open_dm' });
    slack.addWorkspace({ ...dmTeam, scopes: ['chat:write', 'im:write'] });
    expect(await messenger.findTaggedMessage({ ...search, ...window() })).toEqual({
      unavailable: 'missing_scope_or_not_in_channel',
    });
    const gone = await messenger
      .updateMessage({ token: dmTeam.botToken, channel: 'UNOBODY', ts: '1.000001', text: 'x', blocks: [] })
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: 'user_not_found', kind: 'channel' });
  });
});
