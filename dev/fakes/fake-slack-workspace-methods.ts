import { channelJson, isReply, lookupChannel, teamOf, type MethodHandler } from './fake-slack-context.js';
import { fromOffsetCursor, stringArg, toOffsetCursor } from './fake-slack-request.js';
import { slackError, slackOk, type FakeChannel } from './fake-slack-types.js';

/** auth.test, conversations.* and users.info: what the bot can learn about its own workspace. */
const authTest: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  return slackOk({
    url: `https://${ws.teamName}.slack.com/`,
    team: ws.teamName,
    user: 'notifier',
    team_id: ws.workspaceId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    is_enterprise_install: false,
    ...(ws.enterpriseId ? { enterprise_id: ws.enterpriseId } : {}),
  });
};

const conversationsInfo: MethodHandler = (ctx) => {
  const channel = lookupChannel(ctx, stringArg(ctx.request.args, 'channel'));
  if (isReply(channel)) return channel;
  // conversations.info takes ids only; a name is not found, as on Slack.
  if (channel.id !== stringArg(ctx.request.args, 'channel')) return slackError('channel_not_found');
  return slackOk({ channel: channelJson(channel) });
};

const conversationsJoin: MethodHandler = (ctx) => {
  const ref = stringArg(ctx.request.args, 'channel');
  const channel = lookupChannel(ctx, ref);
  if (isReply(channel)) return channel;
  if (channel.id !== ref) return slackError('channel_not_found');
  if (channel.isPrivate) return slackError('method_not_supported_for_channel_type');
  if (channel.archived) return slackError('is_archived');
  const already = channel.botIsMember;
  channel.botIsMember = true;
  return slackOk({
    channel: channelJson(channel),
    ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
  });
};

const usersInfo: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const user = ws.users.get(stringArg(ctx.request.args, 'user') ?? '');
  if (!user) return slackError('user_not_found');
  return slackOk({
    user: {
      id: user.id,
      team_id: ws.workspaceId,
      name: user.name,
      real_name: user.name,
      deleted: false,
      is_bot: false,
      profile: { display_name: user.name, real_name: user.name },
    },
  });
};

const CHANNEL_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'];

/** The type of a fake channel, as conversations.list filters them. */
function channelType(c: FakeChannel): string {
  if (c.id.startsWith('D')) return 'im';
  return c.isPrivate ? 'private_channel' : 'public_channel';
}

const conversationsList: MethodHandler = (ctx) => {
  const { args } = ctx.request;
  const types = (stringArg(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
  if (types.some((t) => !CHANNEL_TYPES.includes(t))) return slackError('invalid_types');
  const limit = Number(stringArg(args, 'limit') ?? '100');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return slackError('invalid_limit');
  const offset = fromOffsetCursor(stringArg(args, 'cursor'));
  if (!Number.isInteger(offset) || offset < 0) return slackError('invalid_cursor');
  const excludeArchived = stringArg(args, 'exclude_archived') === 'true';
  // A bot sees every public channel, but only the private channels it was invited to.
  const visible = [...teamOf(ctx).channels.values()].filter(
    (c) => types.includes(channelType(c)) && (!c.isPrivate || c.botIsMember) && !(excludeArchived && c.archived),
  );
  const page = visible.slice(offset, offset + limit);
  const next = offset + limit < visible.length ? toOffsetCursor(offset + limit) : '';
  return slackOk({ channels: page.map(channelJson), response_metadata: { next_cursor: next } });
};

export const workspaceMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'conversations.info': conversationsInfo,
  'conversations.join': conversationsJoin,
  'conversations.list': conversationsList,
  'users.info': usersInfo,
};
