import type { WebClient } from '@slack/web-api';
import { SlackCallError, type MessageTag, type TaggedMessageSearch } from '../pipeline/ports.js';
import { toRecord } from '../shared/json-reader.js';
import type { SlackCall } from './slack-call.js';

/**
 * Slack's smallest page: apps outside the Slack Marketplace get at most 15 messages per conversations.history or
 * conversations.replies call (and one call a minute) since 2025. The window searched is short (around the claim
 * whose post may exist), so one page usually holds it.
 */
const PAGE_SIZE = 15;
const MAX_PAGES = 5;

/**
 * Installed before the history scopes were asked for, or no longer a member: we cannot look. Slack's
 * conversations.replies reference also says bot tokens may read channel threads only with a user token's scopes;
 * should Slack ever refuse the bot's token that way, the search is unavailable rather than retried for a day.
 */
const UNSEARCHABLE = ['missing_scope', 'not_in_channel', 'not_allowed_token_type'] as const;

/**
 * Looks between `oldest` and `latest` for a message an app posted with exactly this metadata: in a conversation's
 * history (conversations.history), or with `threadTs` among that thread's replies (conversations.replies, the parent
 * itself left out). `channel` is a conversation id (a DM's D… id, not a user id). `call` is the messenger's error
 * mapping; it answers null for the codes it was told to tolerate.
 */
export async function searchTaggedMessage(input: {
  client: WebClient;
  call: SlackCall;
  token: string;
  channel: string;
  tag: MessageTag;
  oldest: Date;
  latest: Date;
  threadTs?: string;
}): Promise<TaggedMessageSearch> {
  const { client, call, token, channel, tag, threadTs } = input;
  const window = {
    token,
    channel,
    oldest: toSlackTs(input.oldest),
    latest: toSlackTs(input.latest),
    limit: PAGE_SIZE,
    include_all_metadata: true,
  };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const paging = cursor ? { cursor } : {};
    const res = threadTs
      ? await readReplies(call, () => client.conversations.replies({ ...window, ts: threadTs, ...paging }))
      : await call('conversations.history', () => client.conversations.history({ ...window, ...paging }), UNSEARCHABLE);
    if (res === null) return { unavailable: 'missing_scope_or_not_in_channel' };
    if ('unavailable' in res) return res;
    const messages: unknown[] = Array.isArray(res.messages) ? res.messages : [];
    const found = messages.map(toRecord).find((m) => m['ts'] !== threadTs && isTagged(m, tag));
    if (found && typeof found['ts'] === 'string') return { found: { ts: found['ts'] } };
    cursor = nextCursor(res.response_metadata);
    if (!cursor) return { found: null };
  }
  return { unavailable: 'history_too_long' };
}

/** One page of a thread; a parent that is gone (deleted) leaves nothing to search. */
async function readReplies<T>(
  call: SlackCall,
  run: () => Promise<T>,
): Promise<T | null | { unavailable: 'thread_not_found' }> {
  try {
    return await call('conversations.replies', run, UNSEARCHABLE);
  } catch (err) {
    if (err instanceof SlackCallError && err.code === 'thread_not_found') return { unavailable: 'thread_not_found' };
    throw err;
  }
}

/** A message posted by an app (not a person) whose metadata is exactly the tag. */
function isTagged(message: Record<string, unknown>, tag: MessageTag): boolean {
  if (typeof message['bot_id'] !== 'string') return false;
  const metadata = toRecord(message['metadata']);
  if (metadata['event_type'] !== tag.eventType) return false;
  const payload = toRecord(metadata['event_payload']);
  const keys = Object.keys(tag.payload);
  return Object.keys(payload).length === keys.length && keys.every((k) => payload[k] === tag.payload[k]);
}

function nextCursor(metadata: unknown): string | undefined {
  const next = toRecord(metadata)['next_cursor'];
  return typeof next === 'string' && next.length > 0 ? next : undefined;
}

/** Slack timestamps are seconds with six decimals. */
function toSlackTs(d: Date): string {
  return (d.getTime() / 1000).toFixed(6);
}
