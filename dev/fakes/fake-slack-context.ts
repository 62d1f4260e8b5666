import type { ChannelPacing } from './fake-slack-pacing.js';
import type { ParsedApiRequest } from './fake-slack-request.js';
import type { FakeSlackState, WorkspaceState } from './fake-slack-state.js';
import type { ApiReply, FakeChannel } from './fake-slack-types.js';
import { slackError } from './fake-slack-types.js';

/** What a method handler gets: the world, the caller's workspace (null for token-less methods) and the request. */
export interface MethodContext {
  state: FakeSlackState;
  team: WorkspaceState | null;
  request: ParsedApiRequest;
  clientId: string;
  clientSecret: string;
  pacing: ChannelPacing;
}

export type MethodHandler = (ctx: MethodContext) => ApiReply;

/** The caller's workspace; the dispatcher only calls token-needing handlers after authenticating. */
export function teamOf(ctx: MethodContext): WorkspaceState {
  if (!ctx.team) throw new Error('fake Slack: handler needs an authenticated workspace');
  return ctx.team;
}

/** A channel of the caller's own workspace; another workspace's channel is as unknown as a made-up one. */
export function lookupChannel(ctx: MethodContext, ref: string | undefined): FakeChannel | ApiReply {
  if (ref === undefined) return slackError('channel_not_found');
  const channel = ctx.state.findChannel(teamOf(ctx), ref);
  return channel ?? slackError('channel_not_found');
}

export function isReply(v: unknown): v is ApiReply {
  return typeof v === 'object' && v !== null && 'body' in v;
}

export function channelJson(channel: FakeChannel): Record<string, unknown> {
  const isDm = channel.id.startsWith('D');
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate && !isDm,
    is_group: channel.isPrivate && !isDm,
    is_im: isDm,
    is_private: channel.isPrivate,
    is_member: channel.botIsMember,
    is_archived: channel.archived === true,
    is_general: channel.name === 'general',
    created: 1_600_000_000,
  };
}
