import type { WebClient } from '@slack/web-api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuietClient, readableChannels, slackError } from './fake-slack-test-kit.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

// Through the real WebClient, as the app calls Slack.
let slack: FakeSlack;
let client: WebClient;
const A = { workspaceId: 'TTHREAD', botToken: 'xoxb-thread' };
const token = A.botToken;
const tag = { event_type: 'pr_notifier_activity', event_payload: { pr_number: 7, kind: 'review' } };

beforeEach(async () => {
  slack ??= await startFakeSlack();
  slack.reset();
  client = createQuietClient(slack);
  slack.addWorkspace({
    ...A,
    users: [
      { id: 'UALICE', name: 'alice' },
      { id: 'UBOB', name: 'bob' },
    ],
    channels: readableChannels(),
  });
});
afterAll(async () => slack?.close());

/** A parent in #general with `n` replies; returns their ts. */
async function thread(n: number, channel = 'CPUB'): Promise<{ parent: string; replies: string[] }> {
  const parent = (await client.chat.postMessage({ token, channel, text: 'PR #7 opened' })).ts ?? '';
  const replies: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const reply = await client.chat.postMessage({ token, channel, text: `reply ${i}`, thread_ts: parent });
    replies.push(reply.ts ?? '');
  }
  return { parent, replies };
}

describe('fake Slack: threads (conversations.replies)', () => {
  it('answers the parent first, then its replies oldest first, from the parent or any reply', async () => {
    const { parent, replies } = await thread(3);
    const res = await client.conversations.replies({ token, channel: 'CPUB', ts: parent });
    expect(res.messages?.map((m) => m.text)).toEqual(['PR #7 opened', 'reply 0', 'reply 1', 'reply 2']);
    expect(res.has_more).toBe(false);
    expect(res.messages?.[0]).toMatchObject({
      ts: parent,
      thread_ts: parent,
      reply_count: 3,
      latest_reply: replies[2],
      reply_users_count: 1,
    });
    expect(res.messages?.[1]).toMatchObject({ ts: replies[0], thread_ts: parent, parent_user_id: expect.any(String) });
    const fromReply = await client.conversations.replies({ token, channel: 'CPUB', ts: replies[1] ?? '' });
    expect(fromReply.messages?.map((m) => m.ts)).toEqual([parent, ...replies]);
  });

  it('a message without replies comes back alone; an unknown ts is thread_not_found', async () => {
    const { parent } = await thread(0);
    const alone = await client.conversations.replies({ token, channel: 'CPUB', ts: parent });
    expect(alone.messages?.map((m) => m.ts)).toEqual([parent]);
    expect(alone.messages?.[0]?.reply_count).toBeUndefined();
    expect(await slackError(client.conversations.replies({ token, channel: 'CPUB', ts: '1700000000.000001' }))).toBe(
      'thread_not_found',
    );
  });

  it('pages with limit and cursor (the parent on the first page only) and keeps to the window', async () => {
    const { parent, replies } = await thread(4);
    const first = await client.conversations.replies({ token, channel: 'CPUB', ts: parent, limit: 2 });
    expect(first.messages?.map((m) => m.ts)).toEqual([parent, replies[0]]);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.replies({
      token,
      channel: 'CPUB',
      ts: parent,
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect(second.messages?.map((m) => m.ts)).toEqual([replies[1], replies[2]]);
    // `oldest` is exclusive unless `inclusive`; the parent still leads.
    const windowed = await client.conversations.replies({ token, channel: 'CPUB', ts: parent, oldest: replies[1] });
    expect(windowed.messages?.map((m) => m.ts)).toEqual([parent, replies[2], replies[3]]);
    const inclusive = await client.conversations.replies({
      token,
      channel: 'CPUB',
      ts: parent,
      oldest: replies[1],
      latest: replies[2],
      inclusive: true,
    });
    expect(inclusive.messages?.map((m) => m.ts)).toEqual([parent, replies[1], replies[2]]);
  });

  it('returns metadata only with include_all_metadata, and the parent in history carries the thread summary', async () => {
    const { parent } = await thread(0);
    const { ts } = await client.chat.postMessage({
      token,
      channel: 'CPUB',
      text: 'approved',
      thread_ts: parent,
      metadata: tag,
    });
    const plain = await client.conversations.replies({ token, channel: 'CPUB', ts: parent });
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const withMetadata = await client.conversations.replies({
      token,
      channel: 'CPUB',
      ts: parent,
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[1]).toMatchObject({ ts, metadata: tag, bot_id: expect.any(String) });
    const history = await client.conversations.history({ token, channel: 'CPUB' });
    // The reply is not in the channel's history; its parent says it has one.
    expect(history.messages?.map((m) => m.ts)).toEqual([parent]);
    expect(history.messages?.[0]).toMatchObject({ thread_ts: parent, reply_count: 1, latest_reply: ts });
  });

  it('needs the channel kind’s history scope and membership, as conversations.history does', async () => {
    const { parent } = await thread(1);
    slack.addWorkspace({ ...A, scopes: ['chat:write', 'channels:read'] });
    const missing = await client.conversations.replies({ token, channel: 'CPUB', ts: parent }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ data: { error: 'missing_scope', needed: 'channels:history' } });
    slack.addWorkspace({ ...A, scopes: ['chat:write', 'channels:history'] });
    expect((await client.conversations.replies({ token, channel: 'CPUB', ts: parent })).ok).toBe(true);
    expect(await slackError(client.conversations.replies({ token, channel: 'GPRIV', ts: parent }))).toBe(
      'missing_scope',
    );
    expect(await slackError(client.conversations.replies({ token, channel: 'COUT', ts: parent }))).toBe(
      'not_in_channel',
    );
    expect(await slackError(client.conversations.replies({ token, channel: 'CNOPE', ts: parent }))).toBe(
      'channel_not_found',
    );
  });

  it('test helpers: messages() is the channel without replies (messageCount() counts them), repliesOf() the thread', async () => {
    const { parent } = await thread(2);
    await client.reactions.add({ token, channel: 'CPUB', timestamp: parent, name: 'eyes' });
    expect(slack.messages(A.workspaceId, 'CPUB').map((m) => m.text)).toEqual(['PR #7 opened']);
    expect(slack.messageCount(A.workspaceId, 'CPUB')).toBe(1);
    expect(slack.messageCount(A.workspaceId, 'CNONE')).toBe(0);
    expect(slack.repliesOf(A.workspaceId, 'CPUB', parent)).toMatchObject([
      { text: 'reply 0', thread_ts: parent, reactions: [] },
      { text: 'reply 1', thread_ts: parent },
    ]);
    expect(slack.repliesOf(A.workspaceId, 'CPUB', '1.000000')).toEqual([]);
    const [first] = slack.repliesOf(A.workspaceId, 'CPUB', parent);
    const link = await client.chat.getPermalink({ token, channel: 'CPUB', message_ts: first?.ts ?? '' });
    expect(link.permalink).toBe(
      `https://team-tthread.slack.com/archives/CPUB/p${(first?.ts ?? '').replace('.', '')}?thread_ts=${parent}&cid=CPUB`,
    );
  });
});

describe('fake Slack: direct messages (conversations.open)', () => {
  it('opens the DM with one person: the channel a post to their user id lands in', async () => {
    const opened = await client.conversations.open({ token, users: 'UALICE' });
    expect(opened.channel?.id).toBe('DUALICE');
    expect(opened.already_open).toBeUndefined();
    const posted = await client.chat.postMessage({ token, channel: 'UALICE', text: 'review requested', metadata: tag });
    expect(posted.channel).toBe('DUALICE');
    const again = await client.conversations.open({ token, users: 'UALICE', return_im: true });
    expect(again).toMatchObject({
      no_op: true,
      already_open: true,
      channel: { id: 'DUALICE', is_im: true, user: 'UALICE' },
    });
    const history = await client.conversations.history({ token, channel: 'DUALICE', include_all_metadata: true });
    expect(history.messages).toMatchObject([{ ts: posted.ts, metadata: tag }]);
    // chat.update names a DM by its id, not by the person's (Slack's chat.update reference).
    const edit = { token, ts: posted.ts ?? '', text: 'review requested (done)' };
    expect(await slackError(client.chat.update({ ...edit, channel: 'UALICE' }))).toBe('channel_not_found');
    await client.chat.update({ ...edit, channel: 'DUALICE' });
    expect(slack.dmsTo(A.workspaceId, 'UALICE').map((m) => m.text)).toEqual(['review requested (done)']);
    expect(slack.dmsTo(A.workspaceId, 'UBOB')).toEqual([]);
  });

  it('refuses an unknown user, no user at all, and a token without im:write', async () => {
    expect(await slackError(client.conversations.open({ token, users: 'UNOBODY' }))).toBe('user_not_found');
    expect(await slackError(client.conversations.open({ token, channel: 'CPUB' }))).toBe(
      'method_not_supported_for_channel_type',
    );
    slack.addWorkspace({ ...A, scopes: ['chat:write'] });
    const missing = await client.conversations.open({ token, users: 'UALICE' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ data: { error: 'missing_scope', needed: 'im:write' } });
  });

  it('reading a DM needs im:history', async () => {
    await client.chat.postMessage({ token, channel: 'UBOB', text: 'hello' });
    slack.addWorkspace({ ...A, scopes: ['chat:write', 'im:write', 'channels:history', 'groups:history'] });
    const missing = await client.conversations.history({ token, channel: 'DUBOB' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ data: { error: 'missing_scope', needed: 'im:history' } });
  });
});
