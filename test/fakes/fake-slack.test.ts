import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuietClient, slackError } from './fake-slack-test-kit.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

// Every test talks to the fake through the real WebClient, configured as the app configures it.
let slack: FakeSlack;
let client: WebClient;
const A = { workspaceId: 'TAAA', botToken: 'xoxb-aaa' };
const B = { workspaceId: 'TBBB', botToken: 'xoxb-bbb' };

beforeEach(async () => {
  slack ??= await startFakeSlack({ clientId: 'cid', clientSecret: 'csecret' });
  slack.reset();
  client = createQuietClient(slack);
  slack.addWorkspace({
    ...A,
    channels: [
      { id: 'CPUB', name: 'general', isPrivate: false, botIsMember: true },
      { id: 'COUT', name: 'random', isPrivate: false, botIsMember: false },
      { id: 'GPRIV', name: 'secret', isPrivate: true, botIsMember: false },
      { id: 'COLD', name: 'old', isPrivate: false, botIsMember: true, archived: true },
    ],
    users: [{ id: 'UALICE', name: 'alice' }],
  });
  slack.addWorkspace({ ...B, channels: [{ id: 'CBEE', name: 'bees', isPrivate: false, botIsMember: true }] });
});
afterAll(async () => slack?.close());

describe('fake Slack: honesty checks from the published spec', () => {
  it('refuses unknown methods and calls missing a required argument', async () => {
    expect(await slackError(client.apiCall('chat.postMesage', { token: A.botToken, channel: 'CPUB', text: 'x' }))).toBe(
      'unknown_method',
    );
    expect(
      await slackError(client.apiCall('reactions.add', { token: A.botToken, channel: 'CPUB', name: 'tada' })),
    ).toBe('invalid_arguments');
    expect(await slackError(client.chat.postMessage({ token: A.botToken, channel: 'CPUB' } as never))).toBe('no_text');
    expect(await slackError(client.auth.test())).toBe('not_authed');
    expect(slack.callsTo('chat.postMesage')).toHaveLength(1);
  });

  it('enforces Block Kit limits', async () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const post = (blocks: unknown[]) =>
      client.chat.postMessage({ token: A.botToken, channel: 'CPUB', text: 'f', blocks: blocks as never });
    expect(await slackError(post(Array.from({ length: 51 }, () => section('x'))))).toBe('invalid_blocks');
    expect(await slackError(post([section('x'.repeat(3001))]))).toBe('invalid_blocks');
    expect(await slackError(post([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]))).toBe(
      'invalid_blocks',
    );
    expect(await slackError(post([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }]))).toBe('invalid_blocks');
    await post([
      ...Array.from({ length: 49 }, () => section('x'.repeat(3000))),
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
    ]);
    expect(slack.messages(A.workspaceId, 'CPUB')).toHaveLength(1);
  });
});

describe('fake Slack: messages and reactions', () => {
  it('posts, updates in place and tracks reactions', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*PR #1*' } }];
    const posted = await client.chat.postMessage({ token: A.botToken, channel: 'CPUB', text: 'PR #1', blocks });
    expect(posted.channel).toBe('CPUB');
    const ts = posted.ts ?? '';
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    await client.chat.update({ token: A.botToken, channel: 'CPUB', ts, text: 'PR #1 (merged)' });
    await client.reactions.add({ token: A.botToken, channel: 'CPUB', timestamp: ts, name: 'tada' });
    expect(
      await slackError(client.reactions.add({ token: A.botToken, channel: 'CPUB', timestamp: ts, name: 'tada' })),
    ).toBe('already_reacted');
    expect(
      await slackError(client.reactions.remove({ token: A.botToken, channel: 'CPUB', timestamp: ts, name: 'x' })),
    ).toBe('no_reaction');
    expect(slack.messages(A.workspaceId, 'CPUB')).toEqual([
      { channel: 'CPUB', ts, text: 'PR #1 (merged)', blocks, reactions: ['tada'] },
    ]);
    const got = await client.reactions.get({ token: A.botToken, channel: 'CPUB', timestamp: ts });
    expect(got.message?.reactions?.map((r) => r.name)).toEqual(['tada']);
    expect(
      await slackError(client.chat.update({ token: A.botToken, channel: 'CPUB', ts: '1.000001', text: 'x' })),
    ).toBe('message_not_found');
    expect(await slackError(client.chat.update({ token: A.botToken, channel: 'CPUB', ts } as never))).toBe('no_text');
    const link = await client.chat.getPermalink({ token: A.botToken, channel: 'CPUB', message_ts: ts });
    expect(link.permalink).toContain(`/archives/CPUB/p${ts.replace('.', '')}`);
  });

  it('posts only where the bot is a member and the channel is live; join governs membership', async () => {
    const post = (channel: string) => client.chat.postMessage({ token: A.botToken, channel, text: 'hi' });
    expect(await slackError(post('COUT'))).toBe('not_in_channel');
    expect(await slackError(post('COLD'))).toBe('is_archived');
    expect(await slackError(post('CNOPE'))).toBe('channel_not_found');
    expect(await slackError(client.conversations.join({ token: A.botToken, channel: 'GPRIV' }))).toBe(
      'method_not_supported_for_channel_type',
    );
    const joined = await client.conversations.join({ token: A.botToken, channel: 'COUT' });
    expect(joined.channel?.is_member).toBe(true);
    await post('COUT');
    expect(slack.messages(A.workspaceId, 'COUT')).toHaveLength(1);
    const info = await client.conversations.info({ token: A.botToken, channel: 'GPRIV' });
    expect(info.channel).toMatchObject({ id: 'GPRIV', is_private: true, is_member: false, is_archived: false });
  });

  it('lists channels page by page: public ones, private ones only where the bot is, archived on request', async () => {
    const list = (cursor?: string) =>
      client.conversations.list({
        token: A.botToken,
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      names.push(...(page.channels ?? []).map((c) => c.name ?? ''));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(names).toEqual(['general', 'random']);
    await client.conversations.join({ token: A.botToken, channel: 'COUT' });
    const all = await client.conversations.list({ token: A.botToken, types: 'public_channel' });
    expect(all.channels?.map((c) => c.id)).toEqual(['CPUB', 'COUT', 'COLD']);
    expect(await slackError(client.conversations.list({ token: A.botToken, limit: 0 }))).toBe('invalid_limit');
  });

  it('isolates workspaces: a token only reaches its own channels; revoked and unknown tokens are refused', async () => {
    expect(await slackError(client.chat.postMessage({ token: A.botToken, channel: 'CBEE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.conversations.info({ token: B.botToken, channel: 'CPUB' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.auth.test({ token: 'xoxb-made-up' }))).toBe('invalid_auth');
    expect((await client.auth.test({ token: B.botToken })).team_id).toBe(B.workspaceId);
    slack.revokeToken(B.botToken);
    expect(await slackError(client.auth.test({ token: B.botToken }))).toBe('token_revoked');
    expect(slack.messages(B.workspaceId, 'CBEE')).toEqual([]);
    expect(slack.callsTo('auth.test', B.botToken)).toHaveLength(2);
  });

  it('knows users and ephemeral messages', async () => {
    expect((await client.users.info({ token: A.botToken, user: 'UALICE' })).user?.name).toBe('alice');
    expect(await slackError(client.users.info({ token: A.botToken, user: 'UNOBODY' }))).toBe('user_not_found');
    await client.chat.postEphemeral({ token: A.botToken, channel: 'CPUB', user: 'UALICE', text: 'only you' });
    expect(slack.ephemerals(A.workspaceId, 'CPUB')).toEqual([{ user: 'UALICE', text: 'only you', blocks: [] }]);
    expect(slack.messages(A.workspaceId, 'CPUB')).toEqual([]);
  });
});

describe('fake Slack: scripted failures', () => {
  it('fails the next matching calls, then recovers', async () => {
    slack.failNext({ method: 'chat.postMessage', token: A.botToken, error: 'invalid_auth', times: 2 });
    const post = (token: string) =>
      client.chat.postMessage({ token, channel: token === A.botToken ? 'CPUB' : 'CBEE', text: 'x' });
    await post(B.botToken);
    expect(await slackError(post(A.botToken))).toBe('invalid_auth');
    expect(await slackError(post(A.botToken))).toBe('invalid_auth');
    await post(A.botToken);
    expect(slack.messages(A.workspaceId, 'CPUB')).toHaveLength(1);
  });

  it('answers ratelimited as HTTP 429 with Retry-After, surfaced as WebAPIRateLimitedError', async () => {
    slack.failNext({ method: 'chat.update', error: 'ratelimited', retryAfterSeconds: 7 });
    const err = (await client.chat
      .update({ token: A.botToken, channel: 'CPUB', ts: '1.1', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
  });
});
