import { messageJson } from './fake-slack-chat.js';
import { isReply, lookupChannel, teamOf, type MethodContext, type MethodHandler } from './fake-slack-context.js';
import { stringArg } from './fake-slack-request.js';
import type { StoredMessage } from './fake-slack-state.js';
import { slackError, slackOk, type ApiReply } from './fake-slack-types.js';

const EMOJI_NAME = /^[a-z0-9_+'-]+$/;

/** The message a reaction call points at, or Slack's error for the way it is missing. */
function targetMessage(ctx: MethodContext): { channel: string; message: StoredMessage } | ApiReply {
  const { args } = ctx.request;
  const channelRef = stringArg(args, 'channel');
  const ts = stringArg(args, 'timestamp');
  if (channelRef === undefined || ts === undefined) return slackError('no_item_specified');
  const channel = lookupChannel(ctx, channelRef);
  if (isReply(channel)) return channel;
  if (!/^\d+\.\d+$/.test(ts)) return slackError('bad_timestamp');
  const message = ctx.state.channelMessages(teamOf(ctx), channel.id).find((m) => m.ts === ts);
  return message ? { channel: channel.id, message } : slackError('message_not_found');
}

function emojiName(ctx: MethodContext): string | ApiReply {
  const name = stringArg(ctx.request.args, 'name') ?? '';
  return EMOJI_NAME.test(name) ? name : slackError('invalid_name');
}

const add: MethodHandler = (ctx) => {
  const name = emojiName(ctx);
  if (typeof name !== 'string') return name;
  const target = targetMessage(ctx);
  if (isReply(target)) return target;
  if (target.message.reactions.includes(name)) return slackError('already_reacted');
  target.message.reactions.push(name);
  return slackOk();
};

const remove: MethodHandler = (ctx) => {
  const name = emojiName(ctx);
  if (typeof name !== 'string') return name;
  const target = targetMessage(ctx);
  if (isReply(target)) return target;
  const index = target.message.reactions.indexOf(name);
  if (index < 0) return slackError('no_reaction');
  target.message.reactions.splice(index, 1);
  return slackOk();
};

const get: MethodHandler = (ctx) => {
  const target = targetMessage(ctx);
  if (isReply(target)) return target;
  return slackOk({ type: 'message', channel: target.channel, message: messageJson(teamOf(ctx), target.message) });
};

export const reactionMethods: Record<string, MethodHandler> = {
  'reactions.add': add,
  'reactions.remove': remove,
  'reactions.get': get,
};
