import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../slack-errors.js';
import type { ChannelRef } from './parse-channel.js';

export type ChannelCheck = { ok: true; channelId: string } | { ok: false; message: string };

interface ChannelInput {
  token: string;
  channel: ChannelRef;
  botUserId: string | null;
}

/** A channel as Slack described it to the bot. `name` is its mention, `invite` the command that invites the bot. */
interface Inspected {
  ok: true;
  channelId: string;
  name: string;
  invite: string;
  isMember: boolean;
  isPrivate: boolean;
}

function notInPrivate(name: string, invite: string): ChannelCheck {
  return {
    ok: false,
    message: `${name} is private and I'm not in it. Invite me there with \`${invite}\`, then run the command again.`,
  };
}

const MAX_LIST_PAGES = 10;

/**
 * Makes sure the bot can post in a channel: it exists, is not archived, is a channel (not a DM), and the bot
 * is in it: a public channel is joined, a private one needs an invitation. A typed `#name` is resolved by
 * listing the channels the bot can see (public ones, and private ones it is in).
 */
export function createChannelAccess(options: { slack: WebClient }) {
  const { slack } = options;

  async function resolveName(token: string, name: string): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const res = await slack.conversations.list({
        token,
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
        cursor,
      });
      const found = res.channels?.find((c) => c.name === name);
      if (found?.id) return found.id;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  }

  /** Resolves the channel and reads it: it exists, is not archived, and is a channel (not a DM). */
  async function inspect(input: ChannelInput): Promise<Inspected | { ok: false; message: string }> {
    const { token, channel } = input;
    const invite = input.botUserId ? `/invite <@${input.botUserId}>` : '/invite @PR Notifier';
    const label = channel.name ? `#${channel.name}` : channel.id ? `<#${channel.id}>` : 'that channel';
    const unknown = `I can't find ${label}. If it is a private channel, invite me there first (\`${invite}\`), then run the command again.`;
    let channelId: string | null = channel.id;
    if (channel.id === null) {
      try {
        channelId = await resolveName(token, channel.name);
      } catch {
        // Listing is a convenience; the autocomplete form always carries the id.
        return {
          ok: false,
          message: `I couldn't look up #${channel.name} just now. Type \`#\` and pick the channel from Slack's autocomplete instead.`,
        };
      }
    }
    if (channelId === null) return { ok: false, message: unknown };

    let info;
    try {
      info = (await slack.conversations.info({ token, channel: channelId })).channel;
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'channel_not_found') return { ok: false, message: unknown };
      throw err;
    }
    if (!info) return { ok: false, message: unknown };
    const name = info.name ? `<#${channelId}|${info.name}>` : `<#${channelId}>`;
    if (info.is_im || info.is_mpim)
      return {
        ok: false,
        message: 'I can only post in channels, not in direct messages. Name a channel: `#channel`.',
      };
    if (info.is_archived) return { ok: false, message: `${name} is archived. Pick another channel.` };
    return {
      ok: true,
      channelId,
      name,
      invite,
      isMember: info.is_member === true,
      isPrivate: info.is_private === true,
    };
  }

  return {
    /** The channel's id, without joining or checking it (to name an existing route); null when no channel has that name. */
    async resolveId(input: { token: string; channel: ChannelRef }): Promise<string | null> {
      return input.channel.id ?? (await resolveName(input.token, input.channel.name));
    },

    /** The bot can post there: a public channel is joined, a private one needs an invitation. */
    async ensurePostable(input: ChannelInput): Promise<ChannelCheck> {
      const found = await inspect(input);
      if (!found.ok) return found;
      const { channelId, name, invite } = found;
      if (found.isMember) return { ok: true, channelId };
      if (found.isPrivate) return notInPrivate(name, invite);
      try {
        await slack.conversations.join({ token: input.token, channel: channelId });
      } catch (err) {
        const code = slackErrorCode(err);
        if (code === null || code === 'ratelimited') throw err;
        return {
          ok: false,
          message: `I couldn't join ${name} (Slack said \`${code}\`). Invite me with \`${invite}\` and try again.`,
        };
      }
      return { ok: true, channelId };
    },

    /** The same checks without joining: a public channel, or a private one the bot is in (to show its settings). */
    async ensureVisible(input: ChannelInput): Promise<ChannelCheck> {
      const found = await inspect(input);
      if (!found.ok) return found;
      if (found.isPrivate && !found.isMember) return notInPrivate(found.name, found.invite);
      return { ok: true, channelId: found.channelId };
    },
  };
}

export type ChannelAccess = ReturnType<typeof createChannelAccess>;
