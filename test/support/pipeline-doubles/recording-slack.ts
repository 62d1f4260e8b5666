import {
  SlackCallError,
  type MessageTag,
  type SlackFailureKind,
  type SlackMessenger,
} from '../../../src/pipeline/ports.js';
import type { MessageBlock } from '../../../src/pipeline/core/render-message.js';

export type SlackMethod =
  'postMessage' | 'findTaggedMessage' | 'updateMessage' | 'deleteMessage' | 'addReaction' | 'removeReaction';

/** A failure the fake answers with, as the real messenger classifies Slack's answers. */
export interface ScriptedFailure {
  method?: SlackMethod;
  channel?: string;
  code: string;
  kind: SlackFailureKind;
  retryAfterMs?: number;
  /** How many calls fail (default 1); Infinity until `heal()`. */
  times?: number;
  /** postMessage only: Slack stored the message although it answered with the failure. */
  landed?: boolean;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: MessageBlock[];
  tag: MessageTag | null;
  reactions: string[];
  postedAt: Date;
  /** Who the token belonged to (a test's label for the workspace). */
  token: string;
  /** A reply in the thread of this parent (absent for a message of the channel itself). */
  threadTs?: string;
}

export interface RecordingSlack {
  messenger: SlackMessenger;
  /** Every call made, in order, failed ones too (`threadTs` for a reply posted or a thread searched). */
  calls: Array<{ method: SlackMethod; channel: string; threadTs?: string }>;
  /** Messages the channel shows, oldest first: its own messages, not the replies in their threads. */
  messagesIn(channel: string): SlackMessage[];
  /** The replies in the thread of `parentTs` in a channel, oldest first. */
  repliesIn(channel: string, parentTs: string): SlackMessage[];
  /**
   * The DMs the app sent a person: messages posted with the person's user id as the channel (as the port allows).
   * The double keeps them under the user id, so `messagesIn(userId)` shows them too.
   */
  dmsTo(userId: string): SlackMessage[];
  fail(failure: ScriptedFailure): void;
  /** Drops every scripted failure. */
  heal(): void;
  /** A person deletes a message: later updates and reactions on it answer message_not_found. */
  deleteByPerson(channel: string, ts: string): void;
}

/**
 * The pipeline's Slack port as a recording fake: messages, reactions and tags kept per channel, Slack's idempotent
 * answers (a reaction already there, a message already deleted) as successes, and failures scripted per method or
 * channel. Held to the same contract as the real messenger on the fake Slack Web API.
 */
export function createRecordingSlack(options: { now: () => Date }): RecordingSlack {
  const messages: SlackMessage[] = [];
  const calls: RecordingSlack['calls'] = [];
  let failures: ScriptedFailure[] = [];
  let sequence = 0;

  const find = (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts);
  /** Records the call and throws the first scripted failure that matches it. */
  function enter(method: SlackMethod, channel: string, onLanded?: () => void, threadTs?: string): void {
    calls.push({ method, channel, ...(threadTs ? { threadTs } : {}) });
    const matching = failures.filter((f) => (f.method ?? method) === method && (f.channel ?? channel) === channel);
    // Slack checks the token before anything else: a revoked token answers token_revoked even in an archived channel.
    const failure = matching.find((f) => f.kind === 'token') ?? matching[0];
    if (!failure) return;
    const left = (failure.times ?? 1) - 1;
    failures =
      left > 0
        ? failures.map((f) => (f === failure ? { ...f, times: left } : f))
        : failures.filter((f) => f !== failure);
    if (failure.landed) onLanded?.();
    throw new SlackCallError({ ...failure, method });
  }
  function existing(channel: string, ts: string): SlackMessage {
    const message = find(channel, ts);
    if (!message) throw new SlackCallError({ code: 'message_not_found', kind: 'message_gone', method: 'chat' });
    return message;
  }

  const messenger: SlackMessenger = {
    async postMessage({ token, channel, text, blocks, tag, threadTs }) {
      const now = options.now();
      const ts = `${Math.floor(now.getTime() / 1000)}.${String((sequence += 1)).padStart(6, '0')}`;
      const thread = threadTs ? { threadTs } : {};
      const land = () => {
        messages.push({ channel, ts, text, blocks, tag: tag ?? null, reactions: [], postedAt: now, token, ...thread });
      };
      enter('postMessage', channel, land, threadTs);
      land();
      return { ts };
    },
    async findTaggedMessage({ channel, tag, oldest, latest, threadTs }) {
      enter('findTaggedMessage', channel, undefined, threadTs);
      // In the channel's own messages, or among one thread's replies: as conversations.history / .replies see them.
      const found = messages.find(
        (m) =>
          m.channel === channel &&
          m.threadTs === threadTs &&
          m.postedAt >= oldest &&
          m.postedAt <= latest &&
          JSON.stringify(m.tag) === JSON.stringify(tag),
      );
      return { found: found ? { ts: found.ts } : null };
    },
    async getPermalink({ channel, ts }) {
      return find(channel, ts) ? `https://fake.slack.test/archives/${channel}/p${ts.replace('.', '')}` : null;
    },
    async updateMessage({ channel, ts, text, blocks }) {
      enter('updateMessage', channel);
      Object.assign(existing(channel, ts), { text, blocks });
    },
    async deleteMessage({ channel, ts }) {
      enter('deleteMessage', channel);
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index >= 0) messages.splice(index, 1);
    },
    async addReaction({ channel, ts, name }) {
      enter('addReaction', channel);
      const message = existing(channel, ts);
      if (!message.reactions.includes(name)) message.reactions.push(name);
    },
    async removeReaction({ channel, ts, name }) {
      enter('removeReaction', channel);
      const message = existing(channel, ts);
      message.reactions = message.reactions.filter((r) => r !== name);
    },
  };

  /** Copies of a channel's own messages (`threadTs` absent) or of one thread's replies. */
  const listed = (channel: string, threadTs?: string) =>
    messages.filter((m) => m.channel === channel && m.threadTs === threadTs).map((m) => structuredClone(m));
  return {
    messenger,
    calls,
    messagesIn: (channel) => listed(channel),
    repliesIn: (channel, parentTs) => listed(channel, parentTs),
    // A DM is kept under the person's user id: the channel the port was given.
    dmsTo: (userId) => listed(userId),
    fail: (failure) => failures.push(failure),
    heal: () => {
      failures = [];
    },
    deleteByPerson(channel, ts) {
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index >= 0) messages.splice(index, 1);
    },
  };
}
