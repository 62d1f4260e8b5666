import { createPoster } from './post-once.js';
import type { RecordBook } from './record-book.js';
import type { PrState } from './pr-state.js';
import { diffReactions, toDesiredReactions } from './reactions.js';
import { renderPrMessage, toRenderHash, type RenderedMessage, type Rendering } from './render-message.js';
import { toWaitRequest } from './waits.js';
import {
  SlackCallError,
  type LogPort,
  type MessageKey,
  type PipelinePorts,
  type SlotReading,
  type TrackedMessage,
  type WaitRequest,
} from '../ports.js';

export type SyncOutcome = 'draft' | 'in_sync' | 'changed' | 'message_deleted';
/** The outcome, and the message as it now is in the channel (null when there is none to follow up on). */
export type SyncResult = { outcome: SyncOutcome; message: TrackedMessage | null } | WaitRequest;

interface SyncInput {
  pr: PrState;
  token: string;
  key: MessageKey;
  log: LogPort;
  /** The job run's lease token: the post claim is bound to it. Without one, this call counts as a run of its own. */
  leaseToken?: string;
  /** The channel's `drafts:on`: a draft is posted too (by default a PR is posted once it is ready for review). */
  postDrafts?: boolean;
  /** The message as the workspace shows it (the same in each of its channels): see `render`; awaited after the read. */
  rendering: Promise<Rendering>;
  /** The channel's message record and posting slots, read before the PR state was known (see MessageReads). */
  ahead?: MessageReads;
  /** Where the run notes what it changed in the message's record. */
  records: RecordBook;
}

/** A route's message record and its channel's posting slots, read ahead. */
export interface MessageReads {
  message: Promise<TrackedMessage | null>;
  slot: Promise<SlotReading>;
}

/**
 * Makes one channel's PR message match the PR state: post once, `chat.update` only when the rendering changed,
 * add / remove reactions to match. A message a person deleted stays deleted: it is marked, never re-posted.
 */
export function createMessageSync(ports: PipelinePorts, options: { owner: string }) {
  const poster = createPoster(ports, options);

  /** chat.update and reactions for a posted message; true when Slack was changed. */
  async function refresh(
    input: SyncInput & { message: TrackedMessage; rendered: RenderedMessage; hash: string },
  ): Promise<boolean> {
    const { pr, token, key, message, rendered, hash } = input;
    const channel = key.channelId;
    const ts = message.ts ?? '';
    // What changed is noted as Slack shows it, and recorded when the run ends (see record-book.ts).
    const updated = message.renderHash !== hash;
    if (updated) {
      await ports.slack.updateMessage({ token, channel, ts, ...rendered });
      input.records.note(key, { renderHash: hash });
    }
    const { add, remove } = diffReactions({ desired: toDesiredReactions(pr), current: message.reactions });
    if (add.length + remove.length === 0) return updated;
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
      // What Slack now really shows, even when a later call failed, so a retry does only the rest.
      input.records.note(key, { reactions: [...reactions] });
    }
    return true;
  }

  /** The PR's message in one workspace: the author is mentioned where they linked their GitHub account there. */
  async function render(workspaceId: string, pr: PrState): Promise<Rendering> {
    const mention = await ports.users.findInWorkspaceByGithubId(workspaceId, pr.authorId);
    const rendered = renderPrMessage({ pr, authorMention: mention ? `<@${mention.slackUserId}>` : null });
    return { rendered, hash: toRenderHash(rendered) };
  }

  /** A run that cannot post now (the channel's posting slot is later, another run holds the claim) gets a wait. */
  async function sync(input: SyncInput): Promise<SyncResult> {
    const { pr, key, log } = input;
    const postable = !pr.draft || input.postDrafts === true;
    // A PR with no activity yet is most likely posted here for the first time: the channel's posting slot is read
    // with its message, so that the post claim and the slot are then written in one round trip.
    const slotAhead =
      input.ahead?.slot ?? (postable && pr.activity.length === 0 ? ports.postSlots.readAhead(key) : undefined);
    slotAhead?.catch(() => undefined); // a failed reading only means the booking reads for itself
    // The rendering is not waited for here: a post takes its claim meanwhile (see post-once.ts).
    let message = await (input.ahead?.message ?? ports.tracked.get(key));
    let posted = false;
    if (!message || message.ts === null) {
      if (!postable) return { outcome: 'draft', message: null };
      // Where the deferrals `post` signals end: a wait for the queue (not an error, not an attempt).
      const result = await poster.post({ ...input, ...(slotAhead ? { slotAhead } : {}) }).catch((err: unknown) => {
        const wait = toWaitRequest(err, ports.now());
        if (wait) return wait;
        throw err;
      });
      if ('wait' in result) return result;
      ({ message, posted } = result);
    }
    if (message.deletedAt !== null) return { outcome: 'message_deleted', message: null };
    const { rendered, hash } = await input.rendering;
    try {
      const refreshed = await refresh({ ...input, message, rendered, hash });
      return { outcome: posted || refreshed ? 'changed' : 'in_sync', message };
    } catch (err) {
      if (!(err instanceof SlackCallError) || err.kind !== 'message_gone') throw err;
      // A person deleted the message on purpose: respect that, stop updating it and never post it again here.
      await ports.tracked.markDeleted({ key, reason: err.code, now: ports.now() });
      log.info(
        { channel: key.channelId, ts: message.ts, code: err.code },
        'PR message was deleted in Slack; no longer updated',
      );
      return { outcome: 'message_deleted', message: null };
    }
  }

  return { render, sync };
}
