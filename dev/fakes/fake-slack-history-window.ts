import { isReply, lookupChannel, teamOf, type MethodContext } from './fake-slack-context.js';
import { flagArg, fromOffsetCursor, stringArg } from './fake-slack-request.js';
import type { WorkspaceState } from './fake-slack-state.js';
import { slackError, type ApiReply, type FakeChannel } from './fake-slack-types.js';

/** The history scope a bot token needs for a channel of this kind (Slack's conversations.history/replies reference). */
export function historyScope(channel: FakeChannel): string {
  if (channel.id.startsWith('D')) return 'im:history';
  return channel.isPrivate ? 'groups:history' : 'channels:history';
}

/** Slack timestamps compare as numbers ("1700000000.000010" > "1700000000.000009"). */
export const tsValue = (ts: string): number => Number(ts);

/** What conversations.history and conversations.replies read the same way: the channel, the window and the page. */
export interface ConversationWindow {
  ws: WorkspaceState;
  channel: FakeChannel;
  /** Strictly between `oldest` and `latest` (`inclusive` takes the bounds in). */
  inWindow(ts: string): boolean;
  limit: number;
  offset: number;
  withMetadata: boolean;
}

/**
 * Reads and checks the arguments both methods share, in Slack's order: the channel by id (a name is not found), the
 * channel kind's history scope (missing_scope with `needed` and `provided`), membership (not_in_channel), the
 * window's bounds, `limit` (at most `maxLimit`) and the cursor.
 */
export function readConversationWindow(
  ctx: MethodContext,
  options: { defaultLimit: number; maxLimit: number },
): ConversationWindow | ApiReply {
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
  const inclusive = flagArg(args, 'inclusive');
  const oldest = stringArg(args, 'oldest');
  const latest = stringArg(args, 'latest');
  if (oldest !== undefined && !Number.isFinite(tsValue(oldest))) return slackError('invalid_ts_oldest');
  if (latest !== undefined && !Number.isFinite(tsValue(latest))) return slackError('invalid_ts_latest');
  const limit = Math.min(Number(stringArg(args, 'limit') ?? String(options.defaultLimit)), options.maxLimit);
  if (!Number.isInteger(limit) || limit < 1) return slackError('invalid_limit');
  const offset = fromOffsetCursor(stringArg(args, 'cursor'));
  if (!Number.isInteger(offset) || offset < 0) return slackError('invalid_cursor');
  const after = (ts: string) =>
    oldest === undefined || (inclusive ? tsValue(ts) >= tsValue(oldest) : tsValue(ts) > tsValue(oldest));
  const before = (ts: string) =>
    latest === undefined || (inclusive ? tsValue(ts) <= tsValue(latest) : tsValue(ts) < tsValue(latest));
  return {
    ws,
    channel,
    inWindow: (ts) => after(ts) && before(ts),
    limit,
    offset,
    withMetadata: flagArg(args, 'include_all_metadata'),
  };
}
