import { describe, expect, it } from 'vitest';
import { SlackCallError, type MessageTag, type SlackMessenger } from '../../src/pipeline/ports.js';

/** One Slack the contract talks to, through a messenger, with the moves a test needs to make on Slack's side. */
export interface MessengerWorld {
  messenger: SlackMessenger;
  token: string;
  /** A public channel the bot is a member of; each world has its own. */
  channel: string;
  /** What Slack now shows in the channel (its top-level messages: thread replies are not among them). */
  messages(): Array<{ ts: string; text: string; reactions: string[] }>;
  /** The replies in the thread of `parentTs`, oldest first. */
  repliesOf(parentTs: string): Array<{ ts: string; text: string }>;
  /** A person of the workspace (a user id), whom the app can DM. */
  person: string;
  /** The DMs the app sent `person`, as Slack shows them. */
  dms(): Array<{ ts: string; text: string; reactions: string[] }>;
  /** A person deletes a message in the Slack client. */
  deleteByPerson(ts: string): void;
  archiveChannel(): void;
  revokeToken(): void;
  /** The next call answers 429 with Retry-After: 2. */
  rateLimitNext(): void;
}

const tag = (pr: number): MessageTag => ({
  eventType: 'pr_notifier_message_posted',
  payload: { team_id: 'T1', channel_id: 'C1', repo: 'octo/repo', pr_number: pr },
});
const minute = 60_000;

async function failure(call: Promise<unknown>): Promise<SlackCallError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof SlackCallError)) throw new Error(`expected a SlackCallError, got ${String(err)}`);
  return err;
}

/**
 * What the pipeline relies on from its Slack port: idempotent answers, tagged messages found again, and failures
 * classified the same way by the real messenger (on the fake Slack Web API) and by the recording double.
 */
export function describeMessengerContract(name: string, makeWorld: () => Promise<MessengerWorld>): void {
  describe(`${name} Slack messenger contract`, () => {
    it('posts, updates and finds a tagged message again, only in its time window', async () => {
      const w = await makeWorld();
      const { token, channel } = w;
      const { ts } = await w.messenger.postMessage({ token, channel, text: 'first', blocks: [], tag: tag(1) });
      await w.messenger.updateMessage({ token, channel, ts, text: 'second', blocks: [] });
      expect(w.messages()).toMatchObject([{ ts, text: 'second' }]);
      const now = Date.now();
      const around = { oldest: new Date(now - minute), latest: new Date(now + minute) };
      expect(await w.messenger.findTaggedMessage({ token, channel, tag: tag(1), ...around })).toEqual({
        found: { ts },
      });
      expect(await w.messenger.findTaggedMessage({ token, channel, tag: tag(2), ...around })).toEqual({ found: null });
      const later = { oldest: new Date(now + 10 * minute), latest: new Date(now + 20 * minute) };
      expect(await w.messenger.findTaggedMessage({ token, channel, tag: tag(1), ...later })).toEqual({ found: null });
    });

    it('replies in a thread and finds a tagged reply among the thread’s replies, not in the channel', async () => {
      const w = await makeWorld();
      const { token, channel } = w;
      const parent = await w.messenger.postMessage({ token, channel, text: 'PR #1', blocks: [], tag: tag(1) });
      const reply = await w.messenger.postMessage({
        token,
        channel,
        text: 'approved',
        blocks: [],
        tag: tag(2),
        threadTs: parent.ts,
      });
      expect(w.messages()).toMatchObject([{ ts: parent.ts, text: 'PR #1' }]);
      expect(w.repliesOf(parent.ts)).toMatchObject([{ ts: reply.ts, text: 'approved' }]);
      const now = Date.now();
      const around = { oldest: new Date(now - minute), latest: new Date(now + minute) };
      const inThread = { token, channel, threadTs: parent.ts, ...around };
      expect(await w.messenger.findTaggedMessage({ ...inThread, tag: tag(2) })).toEqual({ found: { ts: reply.ts } });
      // The parent is not one of its replies; the reply is not in the channel's history.
      expect(await w.messenger.findTaggedMessage({ ...inThread, tag: tag(1) })).toEqual({ found: null });
      expect(await w.messenger.findTaggedMessage({ token, channel, tag: tag(2), ...around })).toEqual({ found: null });
      const later = { oldest: new Date(now + 10 * minute), latest: new Date(now + 20 * minute) };
      expect(await w.messenger.findTaggedMessage({ ...inThread, ...later, tag: tag(2) })).toEqual({ found: null });
    });

    it('sends a DM to a user id, finds it there, and updates and reacts to it by the same user id', async () => {
      const w = await makeWorld();
      const { token, person } = w;
      const { ts } = await w.messenger.postMessage({
        token,
        channel: person,
        text: 'review?',
        blocks: [],
        tag: tag(3),
      });
      expect(w.dms()).toMatchObject([{ ts, text: 'review?' }]);
      expect(w.messages()).toEqual([]);
      const now = Date.now();
      const around = { oldest: new Date(now - minute), latest: new Date(now + minute) };
      expect(await w.messenger.findTaggedMessage({ token, channel: person, tag: tag(3), ...around })).toEqual({
        found: { ts },
      });
      expect(await w.messenger.findTaggedMessage({ token, channel: person, tag: tag(4), ...around })).toEqual({
        found: null,
      });
      await w.messenger.updateMessage({ token, channel: person, ts, text: 'reviewed', blocks: [] });
      await w.messenger.addReaction({ token, channel: person, ts, name: 'white_check_mark' });
      expect(w.dms()).toMatchObject([{ ts, text: 'reviewed', reactions: ['white_check_mark'] }]);
      expect(await w.messenger.getPermalink({ token, channel: person, ts })).toEqual(expect.any(String));
    });

    it('treats a reaction already there, a reaction not there and a message already deleted as done', async () => {
      const w = await makeWorld();
      const { token, channel } = w;
      const { ts } = await w.messenger.postMessage({ token, channel, text: 'pr', blocks: [] });
      await w.messenger.addReaction({ token, channel, ts, name: 'tada' });
      await w.messenger.addReaction({ token, channel, ts, name: 'tada' });
      await w.messenger.removeReaction({ token, channel, ts, name: 'x' });
      expect(w.messages()).toMatchObject([{ ts, reactions: ['tada'] }]);
      await w.messenger.deleteMessage({ token, channel, ts });
      await w.messenger.deleteMessage({ token, channel, ts });
      expect(w.messages()).toEqual([]);
    });

    it('a message a person deleted answers message_gone', async () => {
      const w = await makeWorld();
      const { token, channel } = w;
      const { ts } = await w.messenger.postMessage({ token, channel, text: 'pr', blocks: [] });
      w.deleteByPerson(ts);
      const err = await failure(w.messenger.updateMessage({ token, channel, ts, text: 'x', blocks: [] }));
      expect({ code: err.code, kind: err.kind }).toEqual({ code: 'message_not_found', kind: 'message_gone' });
    });

    it('classifies an archived channel, a revoked token and a rate limit', async () => {
      const w = await makeWorld();
      const post = () => w.messenger.postMessage({ token: w.token, channel: w.channel, text: 'pr', blocks: [] });
      w.rateLimitNext();
      const limited = await failure(post());
      expect({ code: limited.code, kind: limited.kind, retryAfterMs: limited.retryAfterMs }).toEqual({
        code: 'ratelimited',
        kind: 'rate_limited',
        retryAfterMs: 2_000,
      });
      w.archiveChannel();
      const archived = await failure(post());
      expect({ code: archived.code, kind: archived.kind }).toEqual({ code: 'is_archived', kind: 'channel' });
      w.revokeToken();
      const revoked = await failure(post());
      expect({ code: revoked.code, kind: revoked.kind }).toEqual({ code: 'token_revoked', kind: 'token' });
      expect(w.messages()).toEqual([]);
    });
  });
}
