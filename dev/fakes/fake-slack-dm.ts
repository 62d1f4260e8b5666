import { teamOf, type MethodHandler } from './fake-slack-context.js';
import { flagArg, stringArg } from './fake-slack-request.js';
import { dmChannelId } from './fake-slack-state.js';
import { slackError, slackOk, type FakeChannel } from './fake-slack-types.js';

/** What conversations.open answers with `return_im`: the IM's full definition. */
function imJson(channel: FakeChannel, userId: string): Record<string, unknown> {
  return {
    id: channel.id,
    created: 1_600_000_000,
    is_im: true,
    is_org_shared: false,
    user: userId,
    is_open: true,
    last_read: '0000000000.000000',
    latest: null,
    unread_count: 0,
    unread_count_display: 0,
    priority: 0,
  };
}

/**
 * conversations.open for a direct message with one person (Slack's reference): `users` = one user id opens (or
 * finds) the app's DM with them, `channel` = a DM's id resumes it. Needs im:write; an unknown user is user_not_found;
 * neither argument is users_list_not_supplied. Already open: `no_op` and `already_open`, as Slack answers.
 * Group DMs (several users) are not modelled and fail loudly.
 */
const conversationsOpen: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  if (ws.scopes !== null && !ws.scopes.has('im:write')) {
    return slackError('missing_scope', { needed: 'im:write', provided: [...ws.scopes].join(',') });
  }
  const { args } = ctx.request;
  const users = (stringArg(args, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const returnIm = flagArg(args, 'return_im');
  if (users.length === 0) {
    const ref = stringArg(args, 'channel');
    if (ref === undefined) return slackError('users_list_not_supplied');
    const channel = ws.channels.get(ref);
    if (!channel) return slackError('channel_not_found');
    if (!channel.id.startsWith('D')) return slackError('method_not_supported_for_channel_type');
    return slackOk({ no_op: true, already_open: true, channel: { id: channel.id } });
  }
  if (users.length > 1) {
    return { status: 501, body: { ok: false, error: 'not_implemented_in_fake', req_method: 'conversations.open' } };
  }
  const userId = users[0] ?? '';
  if (!ws.users.has(userId)) return slackError('user_not_found');
  const alreadyOpen = ws.channels.has(dmChannelId(userId));
  const channel = ctx.state.findChannel(ws, userId);
  if (!channel) return slackError('user_not_found');
  return slackOk({
    ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
    channel: returnIm ? imJson(channel, userId) : { id: channel.id },
  });
};

export const dmMethods: Record<string, MethodHandler> = { 'conversations.open': conversationsOpen };
