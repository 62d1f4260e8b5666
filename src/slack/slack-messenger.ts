import type { WebClient } from '@slack/web-api';
import { SlackCallError, type SlackFailureKind, type SlackMessenger } from '../pipeline/ports.js';
import { slackErrorCode, slackHttpStatus, slackRetryAfterSeconds } from './slack-errors.js';
import { searchTaggedMessage } from './tagged-message-search.js';

/** Slack answers that no retry will fix: the subscription's channel is gone or closed to the bot. */
const CHANNEL_ERRORS = new Set(['channel_not_found', 'is_archived', 'not_in_channel']);
/** The message is gone: someone deleted it, or it can no longer be edited by the bot. */
const MESSAGE_ERRORS = new Set(['message_not_found', 'cant_update_message']);
/** The workspace's token no longer works: skip the workspace until it is reinstalled. */
const TOKEN_ERRORS = new Set(['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed', 'token_expired']);

/** The pipeline's Slack port on the one shared WebClient; the workspace's bot token goes with each call. */
export function createSlackMessenger(client: WebClient): SlackMessenger {
  const call = async <T>(
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
      return { ts: res.ts };
    },
    findTaggedMessage: ({ token, channel, tag, oldest, latest }) =>
      searchTaggedMessage({ client, call, token, channel, tag, oldest, latest }),
    async getPermalink({ token, channel, ts }) {
      const res = await call('chat.getPermalink', () => client.chat.getPermalink({ token, channel, message_ts: ts }), [
        'message_not_found',
        'channel_not_found',
      ]);
      return typeof res?.permalink === 'string' ? res.permalink : null;
    },
    async updateMessage({ token, channel, ts, text, blocks }) {
      await call('chat.update', () => client.chat.update({ token, channel, ts, text, blocks }));
    },
    async deleteMessage({ token, channel, ts }) {
      await call('chat.delete', () => client.chat.delete({ token, channel, ts }), ['message_not_found']);
    },
    async addReaction({ token, channel, ts, name }) {
      await call('reactions.add', () => client.reactions.add({ token, channel, timestamp: ts, name }), [
        'already_reacted',
      ]);
    },
    async removeReaction({ token, channel, ts, name }) {
      await call('reactions.remove', () => client.reactions.remove({ token, channel, timestamp: ts, name }), [
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
