import type { WebClient } from '@slack/web-api';
import { toRecord } from '../shared/json-reader.js';
import type { MessageTag, TaggedMessageSearch } from '../pipeline/ports.js';

/**
 * Slack's smallest page: apps outside the Slack Marketplace get at most 15 messages per conversations.history call
 * (and one call a minute) since 2025. The window searched is short (around the claim whose post may exist), so one
 * page usually holds it.
 */
const PAGE_SIZE = 15;
const MAX_PAGES = 5;

/**
 * Looks through a channel's history between `oldest` and `latest` for a message an app posted with exactly this
 * metadata. `call` is the messenger's error mapping; it answers null for the codes it was told to tolerate.
 */
export async function searchTaggedMessage(input: {
  client: WebClient;
  call: <T>(method: string, run: () => Promise<T>, tolerated?: readonly string[]) => Promise<T | null>;
  token: string;
  channel: string;
  tag: MessageTag;
  oldest: Date;
  latest: Date;
}): Promise<TaggedMessageSearch> {
  const { client, call, token, channel, tag } = input;
  const [oldest, latest] = [toSlackTs(input.oldest), toSlackTs(input.latest)];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await call(
      'conversations.history',
      () =>
        client.conversations.history({
          token,
          channel,
          oldest,
          latest,
          limit: PAGE_SIZE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      // Installed before the history scopes were asked for, or no longer a member: we cannot look.
      UNSEARCHABLE,
    );
    if (res === null) return { unavailable: 'missing_scope_or_not_in_channel' };
    const messages: unknown[] = Array.isArray(res.messages) ? res.messages : [];
    const found = messages.map(toRecord).find((m) => isTagged(m, tag));
    if (found && typeof found['ts'] === 'string') return { found: { ts: found['ts'] } };
    cursor = nextCursor(res.response_metadata);
    if (!cursor) return { found: null };
  }
  return { unavailable: 'history_too_long' };
}

const UNSEARCHABLE = ['missing_scope', 'not_in_channel'] as const;

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
