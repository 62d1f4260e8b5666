import { messageJson } from './fake-slack-chat.js';
import { isReply, lookupChannel, teamOf, type MethodHandler } from './fake-slack-context.js';
import { fromOffsetCursor, stringArg, toOffsetCursor } from './fake-slack-request.js';
import { slackError, slackOk, type FakeChannel } from './fake-slack-types.js';

/** The history scope a bot token needs for a channel of this kind (Slack's conversations.history reference). */
function historyScope(channel: FakeChannel): string {
  if (channel.id.startsWith('D')) return 'im:history';
  return channel.isPrivate ? 'groups:history' : 'channels:history';
}

/** Slack timestamps compare as numbers ("1700000000.000010" > "1700000000.000009"). */
const tsValue = (ts: string) => Number(ts);

/**
 * conversations.history: a channel's top-level messages, newest first, strictly between `oldest` and `latest`
 * (`inclusive` takes the bounds in), `limit` per page (Slack's default 100, at most 999) with a cursor, and message
 * metadata only with `include_all_metadata`. A token without the channel's history scope gets missing_scope
 * (with `needed` and `provided`, as Slack answers); a channel the bot is not in, not_in_channel.
 */
const conversationsHistory: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const { args } = ctx.request;
  const channel = lookupChannel(ctx, stringArg(args, 'channel'));
  if (isReply(channel)) return channel;
  if (channel.id !== stringArg(args, 'channel')) return slackError('channel_not_found');
  const needed = historyScope(channel);
  if (ws.scopes !== null && !ws.scopes.has(needed)) {
    return slackError('missing_scope', { needed, provided: [...ws.scopes].join(',') });
  }
  if (!channel.botIsMember) return slackError('not_in_channel');
  const inclusive = ['true', '1'].includes(stringArg(args, 'inclusive') ?? '');
  const oldest = stringArg(args, 'oldest');
  const latest = stringArg(args, 'latest');
  if (oldest !== undefined && !Number.isFinite(tsValue(oldest))) return slackError('invalid_ts_oldest');
  if (latest !== undefined && !Number.isFinite(tsValue(latest))) return slackError('invalid_ts_latest');
  const limit = Math.min(Number(stringArg(args, 'limit') ?? '100'), 999);
  if (!Number.isInteger(limit) || limit < 1) return slackError('invalid_limit');
  const offset = fromOffsetCursor(stringArg(args, 'cursor'));
  if (!Number.isInteger(offset) || offset < 0) return slackError('invalid_cursor');
  const withMetadata = ['true', '1'].includes(stringArg(args, 'include_all_metadata') ?? '');

  const after = (ts: string) =>
    oldest === undefined || (inclusive ? tsValue(ts) >= tsValue(oldest) : tsValue(ts) > tsValue(oldest));
  const before = (ts: string) =>
    latest === undefined || (inclusive ? tsValue(ts) <= tsValue(latest) : tsValue(ts) < tsValue(latest));
  const inWindow = ctx.state
    .channelMessages(ws, channel.id)
    // Thread replies live in conversations.replies; a thread's parent stays in the channel's history.
    .filter((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && after(m.ts) && before(m.ts))
    .reverse();
  const page = inWindow.slice(offset, offset + limit);
  const hasMore = offset + limit < inWindow.length;
  return slackOk({
    messages: page.map((m) => messageJson(ws, m, { withMetadata })),
    has_more: hasMore,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: hasMore ? toOffsetCursor(offset + limit) : '' },
  });
};

export const historyMethods: Record<string, MethodHandler> = { 'conversations.history': conversationsHistory };
