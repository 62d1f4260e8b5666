import type { WebClient } from '@slack/web-api';
import { SlackCallError, type SlackFailureKind, type SlackMessenger } from '../pipeline/ports.js';
import { slackErrorCode, slackHttpStatus, slackRetryAfterSeconds } from './slack-errors.js';
import { createDmChannels } from './dm-channels.js';
import type { SlackCall } from './slack-call.js';
import { searchTaggedMessage } from './tagged-message-search.js';

/**
 * Slack answers that no retry will fix: the subscription's channel is gone or closed to the bot, or the person a DM
 * is for is gone (conversations.open).
 */
const CHANNEL_ERRORS = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'user_not_found',
  'user_disabled',
]);
/** Cannot open the person's DM to look in it (installed before im:write was asked for, or the person is gone). */
const DM_UNOPENABLE = ['missing_scope', 'user_not_found', 'user_disabled'];
/** The message is gone: someone deleted it, or it can no longer be edited by the bot. */
const MESSAGE_ERRORS = new Set(['message_not_found', 'cant_update_message']);
/** The workspace's token no longer works: skip the workspace until it is reinstalled. */
const TOKEN_ERRORS = new Set(['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed', 'token_expired']);

/**
 * The pipeline's Slack port on the one shared WebClient; the workspace's bot token goes with each call. A channel may
 * be a user id (U…/W…): the app's DM with that person, opened with conversations.open where Slack needs its D… id.
 */
export function createSlackMessenger(client: WebClient): SlackMessenger {
  const call: SlackCall = async <T>(
    method: string,
    run: () => Promise<T>,
    tolerated: readonly string[] = [],
  ): Promise<T | null> => {
    try {
      return await run();
    } catch (err) {
      const failure = toFailure(err);
      if (tolerated.includes(failure.code)) return null;
      throw new SlackCallError({ ...failure, method });
    }
  };
  const dms = createDmChannels({ client, call });
  /** The conversation a message lives in: a user id stands for the app's DM with that person. */
  const conversation = async (token: string, channel: string): Promise<string> =>
    (await dms.resolve({ token, channel })) ?? channel;
  return {
    async postMessage({ token, channel, text, blocks, tag, threadTs }) {
      // The tag travels as message metadata: invisible to people, returned by conversations.history.
      const metadata = tag ? { event_type: tag.eventType, event_payload: tag.payload } : undefined;
      const res = await call('chat.postMessage', () =>
        client.chat.postMessage({
          token,
          channel,
          text,
          blocks,
          unfurl_links: false,
          ...(metadata ? { metadata } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
      if (!res?.ts) throw new SlackCallError({ code: 'missing_ts', kind: 'transient', method: 'chat.postMessage' });
      // A post to a user id answers with the DM's id, which later calls on the message need.
      dms.remember({ token, user: channel, dm: res.channel });
      return { ts: res.ts };
    },
    async findTaggedMessage({ token, channel, tag, oldest, latest, threadTs }) {
      const resolved = await dms.resolve({ token, channel, tolerated: DM_UNOPENABLE });
      if (resolved === null) return { unavailable: 'cannot_open_dm' };
      const thread = threadTs ? { threadTs } : {};
      return searchTaggedMessage({ client, call, token, channel: resolved, tag, oldest, latest, ...thread });
    },
    async getPermalink({ token, channel, ts }) {
      const gone = ['message_not_found', 'channel_not_found'];
      const resolved = await dms.resolve({ token, channel, tolerated: DM_UNOPENABLE });
      if (resolved === null) return null;
      const res = await call(
        'chat.getPermalink',
        () => client.chat.getPermalink({ token, channel: resolved, message_ts: ts }),
        gone,
      );
      return typeof res?.permalink === 'string' ? res.permalink : null;
    },
    async updateMessage({ token, channel, ts, text, blocks }) {
      const id = await conversation(token, channel);
      await call('chat.update', () => client.chat.update({ token, channel: id, ts, text, blocks }));
    },
    async deleteMessage({ token, channel, ts }) {
      const id = await conversation(token, channel);
      await call('chat.delete', () => client.chat.delete({ token, channel: id, ts }), ['message_not_found']);
    },
    async addReaction({ token, channel, ts, name }) {
      const id = await conversation(token, channel);
      await call('reactions.add', () => client.reactions.add({ token, channel: id, timestamp: ts, name }), [
        'already_reacted',
      ]);
    },
    async removeReaction({ token, channel, ts, name }) {
      const id = await conversation(token, channel);
      await call('reactions.remove', () => client.reactions.remove({ token, channel: id, timestamp: ts, name }), [
        'no_reaction',
      ]);
    },
  };
}

function toFailure(err: unknown): { code: string; kind: SlackFailureKind; retryAfterMs?: number } {
  const code = slackErrorCode(err);
  if (code === 'ratelimited') return { code, kind: 'rate_limited', retryAfterMs: slackRetryAfterSeconds(err) * 1000 };
  if (code !== null) {
    if (CHANNEL_ERRORS.has(code)) return { code, kind: 'channel' };
    if (TOKEN_ERRORS.has(code)) return { code, kind: 'token' };
    return { code, kind: MESSAGE_ERRORS.has(code) ? 'message_gone' : 'transient' };
  }
  const httpStatus = slackHttpStatus(err);
  return { code: httpStatus === null ? 'request_failed' : `http_${httpStatus}`, kind: 'transient' };
}
