import type { PrState } from './pr-state.js';
import { diffReactions, toDesiredReactions } from './reactions.js';
import { renderPrMessage, toRenderHash, type RenderedMessage } from './render-message.js';
import { SlackCallError, type LogPort, type MessageKey, type PipelinePorts, type TrackedMessage } from './ports.js';

export type SyncOutcome = 'draft' | 'in_sync' | 'changed' | 'message_deleted';

/** Another job holds the right to post this message; try again shortly. */
class PostInProgressError extends Error {
  readonly retryAfterMs = 1_000;
  constructor() {
    super('another job is posting this message');
  }
}

/** The channel's next posting slot is in the future: run the job again then (not an error, not an attempt). */
export class PostDeferredError extends Error {
  readonly until: Date;
  constructor(until: Date) {
    super(`channel posting slot at ${until.toISOString()}`);
    this.name = 'PostDeferredError';
    this.until = until;
  }
}

interface SyncInput {
  pr: PrState;
  token: string;
  key: MessageKey;
  log: LogPort;
}

/**
 * Makes one channel's PR message match the PR state: post once, `chat.update` only when the rendering changed,
 * add / remove reactions to match. A message a person deleted stays deleted: it is marked, never re-posted.
 */
export function createMessageSync(ports: PipelinePorts, options: { owner: string; claimStaleMs: number; postIntervalMs: number }) {
  async function post(input: SyncInput & { rendered: RenderedMessage; hash: string }): Promise<{ message: TrackedMessage; posted: boolean } | 'busy'> {
    const { key, token, rendered, hash, log } = input;
    const claim = await ports.tracked.claimPost({ key, owner: options.owner, now: ports.now(), staleAfterMs: options.claimStaleMs });
    if (claim.outcome === 'busy') return 'busy';
    if (claim.outcome === 'posted') return { message: claim.message, posted: false };
    // The slot is taken right before the call, so the spacing Slack sees is the spacing of the slots. A job told
    // to wait, or failing, gives its claim back (a claim held for long would look like a crashed job's).
    let posted: { ts: string };
    try {
      const slot = await ports.postSlots.take({ key, now: ports.now(), intervalMs: options.postIntervalMs });
      if (!slot.go) throw new PostDeferredError(slot.retryAt);
      posted = await ports.slack.postMessage({ token, channel: key.channelId, ...rendered });
    } catch (err) {
      await ports.tracked.releaseClaim({ key, owner: options.owner });
      throw err;
    }
    await ports.tracked.recordPosted({ key, ts: posted.ts, renderHash: hash, now: ports.now() });
    log.info({ channel: key.channelId, ts: posted.ts }, 'PR message posted');
    return { message: { ...key, ts: posted.ts, renderHash: hash, reactions: [], deletedAt: null }, posted: true };
  }

  /** chat.update and reactions for a posted message; true when Slack was changed. */
  async function refresh(input: SyncInput & { message: TrackedMessage; rendered: RenderedMessage; hash: string }): Promise<boolean> {
    const { pr, token, key, message, rendered, hash } = input;
    const channel = key.channelId;
    const ts = message.ts ?? '';
    let changed = false;
    if (message.renderHash !== hash) {
      await ports.slack.updateMessage({ token, channel, ts, ...rendered });
      await ports.tracked.update({ key, renderHash: hash, now: ports.now() });
      changed = true;
    }
    const { add, remove } = diffReactions({ desired: toDesiredReactions(pr), current: message.reactions });
    if (add.length + remove.length === 0) return changed;
    const reactions = new Set(message.reactions);
    try {
      for (const name of remove) {
        await ports.slack.removeReaction({ token, channel, ts, name });
        reactions.delete(name);
      }
      for (const name of add) {
        await ports.slack.addReaction({ token, channel, ts, name });
        reactions.add(name);
      }
    } finally {
      // Record what Slack now really shows, even when a later call failed, so a retry does only the rest.
      await ports.tracked.update({ key, reactions: [...reactions], now: ports.now() });
    }
    return true;
  }

  async function sync(input: SyncInput): Promise<SyncOutcome> {
    const { pr, key, log } = input;
    const mention = await ports.users.findInTeamByGithubId(key.teamId, pr.authorId);
    const rendered = renderPrMessage({ pr, authorMention: mention ? `<@${mention.slackUserId}>` : null });
    const hash = toRenderHash(rendered);

    let message = await ports.tracked.get(key);
    let posted = false;
    if (!message || message.ts === null) {
      if (pr.draft) return 'draft';
      const result = await post({ ...input, rendered, hash });
      if (result === 'busy') throw new PostInProgressError();
      ({ message, posted } = result);
    }
    if (message.deletedAt !== null) return 'message_deleted';
    try {
      const refreshed = await refresh({ ...input, message, rendered, hash });
      return posted || refreshed ? 'changed' : 'in_sync';
    } catch (err) {
      if (!(err instanceof SlackCallError) || err.kind !== 'message_gone') throw err;
      // A person deleted the message on purpose: respect that, stop updating it and never post it again here.
      await ports.tracked.markDeleted({ key, reason: err.code, now: ports.now() });
      log.info({ channel: key.channelId, ts: message.ts, code: err.code }, 'PR message was deleted in Slack; no longer updated');
      return 'message_deleted';
    }
  }

  return { sync };
}
