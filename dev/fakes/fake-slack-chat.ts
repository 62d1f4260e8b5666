import { toRecord } from '../../src/shared/json-reader.js';
import { validateBlocks } from './fake-slack-blocks.js';
import { isReply, lookupChannel, teamOf, type MethodContext, type MethodHandler } from './fake-slack-context.js';
import { FAKE_APP_ID } from './fake-slack-oauth.js';
import { stringArg } from './fake-slack-request.js';
import type { StoredMessage, WorkspaceState } from './fake-slack-state.js';
import { slackError, slackOk, type ApiReply, type FakeChannel, type FakeMessageMetadata } from './fake-slack-types.js';

const MAX_TEXT = 40_000;

/** Text and blocks of a message, checked as Slack checks them (text, blocks or attachments must be given). */
function readContent(ctx: MethodContext): { text?: string; blocks?: unknown[] } | ApiReply {
  const { args } = ctx.request;
  const text = stringArg(args, 'text');
  const hasAttachments = args['attachments'] !== undefined;
  if (text === undefined && args['blocks'] === undefined && !hasAttachments) return slackError('no_text');
  if (text !== undefined && text.length > MAX_TEXT) return slackError('msg_too_long');
  const verdict = validateBlocks(args['blocks']);
  if (!verdict.ok) return slackError(verdict.error, { response_metadata: { messages: verdict.messages } });
  return {
    ...(text !== undefined ? { text } : {}),
    ...(args['blocks'] !== undefined ? { blocks: verdict.blocks } : {}),
  };
}

/** The channel the bot may write into, or the error Slack gives. */
function writableChannel(ctx: MethodContext): FakeChannel | ApiReply {
  const channel = lookupChannel(ctx, stringArg(ctx.request.args, 'channel'));
  if (isReply(channel)) return channel;
  if (channel.archived) return slackError('is_archived');
  if (!channel.botIsMember) return slackError('not_in_channel');
  return channel;
}

/** Message metadata as Slack takes it: `event_type` a string, `event_payload` an object. */
function readMetadata(ctx: MethodContext): FakeMessageMetadata | undefined | ApiReply {
  const raw = ctx.request.args['metadata'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return slackError('invalid_metadata_format');
  const { event_type: eventType, event_payload: payload } = toRecord(raw);
  if (typeof eventType !== 'string' || eventType === '') return slackError('invalid_metadata_schema');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return slackError('invalid_metadata_schema');
  return { event_type: eventType, event_payload: structuredClone(toRecord(payload)) };
}

/** A message as Slack shows it; `metadata` only where the caller asked for it (include_all_metadata). */
export function messageJson(
  ws: WorkspaceState,
  m: StoredMessage,
  options: { withMetadata?: boolean } = {},
): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: m.text,
    blocks: m.blocks,
    user: m.postedBy,
    bot_id: ws.botId,
    app_id: FAKE_APP_ID,
    team: ws.workspaceId,
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.reactions.length > 0
      ? { reactions: m.reactions.map((name) => ({ name, count: 1, users: [ws.botUserId] })) }
      : {}),
    ...(options.withMetadata && m.metadata ? { metadata: structuredClone(m.metadata) } : {}),
  };
}

const postMessage: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const channel = writableChannel(ctx);
  if (isReply(channel)) return channel;
  const content = readContent(ctx);
  if (isReply(content)) return content;
  const metadata = readMetadata(ctx);
  if (isReply(metadata)) return metadata;
  const retryAfter = ctx.pacing.admit(ws.workspaceId, channel.id);
  if (retryAfter !== null)
    return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
  const threadTs = stringArg(ctx.request.args, 'thread_ts');
  const message: StoredMessage = {
    channel: channel.id,
    ts: ctx.state.nextTs(),
    text: content.text ?? '',
    blocks: content.blocks ?? [],
    reactions: [],
    postedBy: ws.botUserId,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(metadata ? { metadata } : {}),
  };
  ctx.state.channelMessages(ws, channel.id).push(message);
  return slackOk({ channel: channel.id, ts: message.ts, message: messageJson(ws, message, { withMetadata: true }) });
};

const update: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const ref = stringArg(ctx.request.args, 'channel');
  // Slack's chat.update reference: a direct message is named by its DM id (D…), not by the person's user id.
  if (ref !== undefined && ws.users.has(ref)) return slackError('channel_not_found');
  const channel = lookupChannel(ctx, ref);
  if (isReply(channel)) return channel;
  if (channel.archived) return slackError('is_archived');
  const ts = stringArg(ctx.request.args, 'ts');
  const message = ctx.state.channelMessages(ws, channel.id).find((m) => m.ts === ts);
  if (!message) return slackError('message_not_found');
  if (message.postedBy !== ws.botUserId) return slackError('cant_update_message');
  const content = readContent(ctx);
  if (isReply(content)) return content;
  // Slack keeps the previous blocks when `blocks` is left out; an empty array removes them.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks !== undefined) message.blocks = content.blocks;
  return slackOk({ channel: channel.id, ts: message.ts, text: message.text, message: messageJson(ws, message) });
};

/** chat.delete: a bot deletes its own messages (another's: cant_delete_message). */
const deleteMessage: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const channel = lookupChannel(ctx, stringArg(ctx.request.args, 'channel'));
  if (isReply(channel)) return channel;
  const ts = stringArg(ctx.request.args, 'ts');
  const list = ctx.state.channelMessages(ws, channel.id);
  const index = list.findIndex((m) => m.ts === ts);
  if (index < 0) return slackError('message_not_found');
  if (list[index]?.postedBy !== ws.botUserId) return slackError('cant_delete_message');
  list.splice(index, 1);
  return slackOk({ channel: channel.id, ts });
};

const postEphemeral: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const channel = writableChannel(ctx);
  if (isReply(channel)) return channel;
  const user = stringArg(ctx.request.args, 'user') ?? '';
  if (ws.users.size > 0 && !ws.users.has(user)) return slackError('user_not_in_channel');
  const content = readContent(ctx);
  if (isReply(content)) return content;
  ws.ephemerals.push({ channel: channel.id, user, text: content.text ?? '', blocks: content.blocks ?? [] });
  return slackOk({ message_ts: ctx.state.nextTs() });
};

const getPermalink: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const channel = lookupChannel(ctx, stringArg(ctx.request.args, 'channel'));
  if (isReply(channel)) return channel;
  const ts = stringArg(ctx.request.args, 'message_ts');
  const message = ctx.state.channelMessages(ws, channel.id).find((m) => m.ts === ts);
  if (!message) return slackError('message_not_found');
  // A reply's link opens its thread, as Slack's links do.
  const inThread =
    message.thread_ts && message.thread_ts !== message.ts ? `?thread_ts=${message.thread_ts}&cid=${channel.id}` : '';
  const permalink = `https://${ws.teamName}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}${inThread}`;
  return slackOk({ channel: channel.id, permalink });
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
