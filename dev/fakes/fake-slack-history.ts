import { messageJson } from './fake-slack-chat.js';
import { isReply, type MethodHandler } from './fake-slack-context.js';
import { readConversationWindow } from './fake-slack-history-window.js';
import { toOffsetCursor } from './fake-slack-request.js';
import { isTopLevel, threadFields } from './fake-slack-threads.js';
import { slackOk } from './fake-slack-types.js';

/**
 * conversations.history: a channel's top-level messages, newest first, strictly between `oldest` and `latest`
 * (`inclusive` takes the bounds in), `limit` per page (Slack's default 100, at most 999) with a cursor, and message
 * metadata only with `include_all_metadata`. A token without the channel's history scope gets missing_scope
 * (with `needed` and `provided`, as Slack answers); a channel the bot is not in, not_in_channel. A thread's parent
 * carries its thread summary (reply_count, latest_reply, …); the replies themselves are left to conversations.replies.
 */
const conversationsHistory: MethodHandler = (ctx) => {
  const read = readConversationWindow(ctx, { defaultLimit: 100, maxLimit: 999 });
  if (isReply(read)) return read;
  const { ws, channel, inWindow, limit, offset, withMetadata } = read;
  const all = ctx.state.channelMessages(ws, channel.id);
  const listed = all.filter((m) => isTopLevel(m) && inWindow(m.ts)).reverse();
  const page = listed.slice(offset, offset + limit);
  const hasMore = offset + limit < listed.length;
  return slackOk({
    messages: page.map((m) => ({ ...messageJson(ws, m, { withMetadata }), ...threadFields(all, m) })),
    has_more: hasMore,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: hasMore ? toOffsetCursor(offset + limit) : '' },
  });
};

export const historyMethods: Record<string, MethodHandler> = { 'conversations.history': conversationsHistory };
