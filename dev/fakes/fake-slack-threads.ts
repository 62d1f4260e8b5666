import { messageJson } from './fake-slack-chat.js';
import { isReply, type MethodHandler } from './fake-slack-context.js';
import { readConversationWindow } from './fake-slack-history-window.js';
import { stringArg, toOffsetCursor } from './fake-slack-request.js';
import type { StoredMessage } from './fake-slack-state.js';
import { slackError, slackOk } from './fake-slack-types.js';

/** Where a message sits: its own ts and, in a thread, the parent's. */
type ThreadPosition = Pick<StoredMessage, 'ts' | 'thread_ts'>;

/** A message of the channel itself: not a reply in someone's thread (a parent is top-level). */
export function isTopLevel(m: ThreadPosition): boolean {
  return m.thread_ts === undefined || m.thread_ts === m.ts;
}

/** The replies of the thread whose parent is `parentTs`, oldest first. */
export function repliesTo<M extends ThreadPosition>(channelMessages: readonly M[], parentTs: string): M[] {
  return channelMessages.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs);
}

/**
 * What Slack adds to a message about its thread: a parent that has replies carries `thread_ts` (its own ts),
 * `reply_count`, `reply_users`, `reply_users_count` and `latest_reply`; a reply carries `parent_user_id`. A message
 * without replies carries nothing.
 */
export function threadFields(channelMessages: readonly StoredMessage[], m: StoredMessage): Record<string, unknown> {
  if (!isTopLevel(m)) {
    const parent = channelMessages.find((p) => p.ts === m.thread_ts);
    return parent ? { parent_user_id: parent.postedBy } : {};
  }
  const replies = repliesTo(channelMessages, m.ts);
  const last = replies.at(-1);
  if (!last) return {};
  const users = [...new Set(replies.map((r) => r.postedBy))];
  return {
    thread_ts: m.ts,
    reply_count: replies.length,
    reply_users: users,
    reply_users_count: users.length,
    latest_reply: last.ts,
    is_locked: false,
    subscribed: false,
  };
}

/**
 * conversations.replies: a thread, the parent first and then its replies oldest first, as Slack returns it. `ts` may
 * name the parent or any reply (the whole thread comes back); a message without replies comes back alone; an unknown
 * ts is thread_not_found. `oldest` / `latest` / `inclusive` pick the replies; the parent leads the first page only, and
 * later pages (cursor) hold replies alone. Same scopes and membership as conversations.history (channels:history,
 * groups:history or im:history by the channel's kind); `limit` defaults to 1000, as Slack's reference says.
 */
const conversationsReplies: MethodHandler = (ctx) => {
  const read = readConversationWindow(ctx, { defaultLimit: 1000, maxLimit: 1000 });
  if (isReply(read)) return read;
  const { ws, channel, inWindow, limit, offset, withMetadata } = read;
  // The OpenAPI copy marks `ts` optional; Slack's reference says it is always required.
  const ts = stringArg(ctx.request.args, 'ts');
  if (ts === undefined) {
    return slackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: ts'] } });
  }
  const all = ctx.state.channelMessages(ws, channel.id);
  const named = all.find((m) => m.ts === ts);
  const parent = named && all.find((m) => m.ts === (named.thread_ts ?? named.ts));
  if (!parent) return slackError('thread_not_found');
  const listed = [parent, ...repliesTo(all, parent.ts).filter((r) => inWindow(r.ts))];
  const page = listed.slice(offset, offset + limit);
  const hasMore = offset + limit < listed.length;
  return slackOk({
    messages: page.map((m) => ({ ...messageJson(ws, m, { withMetadata }), ...threadFields(all, m) })),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? toOffsetCursor(offset + limit) : '' },
  });
};

export const threadMethods: Record<string, MethodHandler> = { 'conversations.replies': conversationsReplies };
