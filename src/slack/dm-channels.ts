import type { WebClient } from '@slack/web-api';
import { SlackCallError } from '../pipeline/ports.js';
import { toRecord } from '../shared/json-reader.js';
import type { SlackCall } from './slack-call.js';

/** A Slack user id (U…, or W… on Enterprise Grid): the port's way of saying "the app's DM with this person". */
export const isUserId = (channel: string): boolean => /^[UW][A-Z0-9]+$/.test(channel);

/** DM ids remembered per workspace token and person; a DM's id never changes, so this only saves calls. */
const REMEMBERED = 5_000;

export interface DmChannels {
  /**
   * The conversation id to call Slack with: a channel id as it is, a user id as the app's DM with that person
   * (conversations.open, im:write). Null when Slack answered one of the `tolerated` codes.
   */
  resolve(input: { token: string; channel: string; tolerated?: readonly string[] }): Promise<string | null>;
  /** chat.postMessage to a user id answered with the DM's id: remember it (no im:write needed then). */
  remember(input: { token: string; user: string; dm: unknown }): void;
}

/**
 * chat.postMessage takes a user id and lands in the DM, but chat.update and the other methods need the DM's own id
 * (D…, Slack's chat.update reference): this finds it, through the answer of an earlier post or conversations.open.
 */
export function createDmChannels(input: { client: WebClient; call: SlackCall }): DmChannels {
  const { client, call } = input;
  const known = new Map<string, string>();
  const keyOf = (token: string, user: string) => `${token}\u0000${user}`;
  const keep = (key: string, dm: string) => {
    known.delete(key);
    known.set(key, dm);
    // Bounded: the oldest entry goes first (a Map keeps insertion order).
    if (known.size > REMEMBERED) known.delete(known.keys().next().value ?? '');
  };
  return {
    async resolve({ token, channel, tolerated = [] }) {
      if (!isUserId(channel)) return channel;
      const key = keyOf(token, channel);
      const cached = known.get(key);
      if (cached) return cached;
      const res = await call(
        'conversations.open',
        () => client.conversations.open({ token, users: channel }),
        tolerated,
      );
      if (res === null) return null;
      const id = toRecord(res.channel)['id'];
      if (typeof id !== 'string' || id === '') {
        throw new SlackCallError({ code: 'missing_channel', kind: 'transient', method: 'conversations.open' });
      }
      keep(key, id);
      return id;
    },
    remember({ token, user, dm }) {
      if (isUserId(user) && typeof dm === 'string' && dm.startsWith('D')) keep(keyOf(token, user), dm);
    },
  };
}
