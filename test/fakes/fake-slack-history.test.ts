import type { WebClient } from '@slack/web-api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuietClient, readableChannels, slackError } from './fake-slack-test-kit.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

// Through the real WebClient, as the app calls Slack.
let slack: FakeSlack;
let client: WebClient;
const A = { workspaceId: 'THIST', botToken: 'xoxb-hist' };
const OLD = { workspaceId: 'TOLD', botToken: 'xoxb-old' };
const tag = { event_type: 'pr_notifier_message_posted', event_payload: { team_id: 'THIST', pr_number: 7 } };

beforeEach(async () => {
  slack ??= await startFakeSlack();
  slack.reset();
  client = createQuietClient(slack);
  slack.addWorkspace({
    ...A,
    channels: readableChannels(),
  });
  // Installed before the history scopes were asked for.
  slack.addWorkspace({
    ...OLD,
    scopes: ['chat:write', 'channels:read'],
    channels: [{ id: 'COLD', name: 'old', isPrivate: false, botIsMember: true }],
  });
});
afterAll(async () => slack?.close());

describe('fake Slack: message metadata, conversations.history, chat.delete', () => {
  it('stores metadata with a message and returns it from history only with include_all_metadata', async () => {
    const posted = await client.chat.postMessage({ token: A.botToken, channel: 'CPUB', text: 'PR #7', metadata: tag });
    expect(slack.messages(A.workspaceId, 'CPUB')[0]?.metadata).toEqual(tag);
    const plain = await client.conversations.history({ token: A.botToken, channel: 'CPUB' });
    expect(plain.messages?.[0]).toMatchObject({ ts: posted.ts, bot_id: expect.any(String) });
    expect(plain.messages?.[0]?.metadata).toBeUndefined();
    const withMetadata = await client.conversations.history({
      token: A.botToken,
      channel: 'CPUB',
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(tag);
    expect(
      await slackError(
        client.chat.postMessage({
          token: A.botToken,
          channel: 'CPUB',
          text: 'x',
          metadata: { event_type: '', event_payload: {} },
        }),
      ),
    ).toBe('invalid_metadata_schema');
  });

  it('answers newest first, after `oldest`, page by page with a cursor', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ts.push((await client.chat.postMessage({ token: A.botToken, channel: 'CPUB', text: `m${i}` })).ts ?? '');
    const first = await client.conversations.history({ token: A.botToken, channel: 'CPUB', oldest: ts[1], limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({
      token: A.botToken,
      channel: 'CPUB',
      oldest: ts[1],
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    // `oldest` is exclusive, as on Slack.
    expect(second.messages?.map((m) => m.text)).toEqual(['m2']);
    expect(second.has_more).toBe(false);
    expect(second.response_metadata?.next_cursor).toBe('');
    const inclusive = await client.conversations.history({
      token: A.botToken,
      channel: 'CPUB',
      oldest: ts[1],
      inclusive: true,
    });
    expect(inclusive.messages).toHaveLength(4);
  });

  it("chat.delete removes the bot's own message and says when it is gone", async () => {
    const { ts } = await client.chat.postMessage({ token: A.botToken, channel: 'CPUB', text: 'twice' });
    await client.chat.delete({ token: A.botToken, channel: 'CPUB', ts: ts ?? '' });
    expect(slack.messages(A.workspaceId, 'CPUB')).toHaveLength(0);
    expect(await slackError(client.chat.delete({ token: A.botToken, channel: 'CPUB', ts: ts ?? '' }))).toBe(
      'message_not_found',
    );
  });

  it('needs the history scope of the channel kind, and membership', async () => {
    const missing = await client.conversations
      .history({ token: OLD.botToken, channel: 'COLD' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      data: { ok: false, error: 'missing_scope', needed: 'channels:history', provided: 'chat:write,channels:read' },
    });
    slack.addWorkspace({ ...A, scopes: ['channels:history'] });
    expect((await client.conversations.history({ token: A.botToken, channel: 'CPUB' })).ok).toBe(true);
    expect(await slackError(client.conversations.history({ token: A.botToken, channel: 'GPRIV' }))).toBe(
      'missing_scope',
    );
    slack.addWorkspace({ ...A, scopes: ['channels:history', 'groups:history'] });
    expect((await client.conversations.history({ token: A.botToken, channel: 'GPRIV' })).ok).toBe(true);
    expect(await slackError(client.conversations.history({ token: A.botToken, channel: 'COUT' }))).toBe(
      'not_in_channel',
    );
    expect(await slackError(client.conversations.history({ token: A.botToken, channel: 'CNOPE' }))).toBe(
      'channel_not_found',
    );
  });
});
