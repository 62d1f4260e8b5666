import { randomUUID } from 'node:crypto';
import { toMessageTag } from './message-tag.js';
import { POST_HOLD_MS, POST_INTERVAL_MS, POST_RETURN_EARLY_MS } from './pacing.js';
import type { Rendering } from './render-message.js';
import {
  SlackCallError,
  type ClaimHolder,
  type LogPort,
  type MessageKey,
  type PipelinePorts,
  type PostAttempt,
  type SlotReading,
  type TrackedMessage,
  type UnsurePost,
  type WaitReason,
} from '../ports.js';

/**
 * An unrecorded post is looked for between its claim and its settle time, widened by this much on each side: Slack's
 * clock and ours differ a little, and Slack may store a message a little after our settle time.
 */
const LOOK_MARGIN_MS = 60_000;

/**
 * Posting must wait (not an error, not an attempt): another run holds the right to post this message or a post it
 * may have sent can still land (`post_claim`), or the channel's next posting slot is in the future (`post_slot`).
 */
export class PostWait extends Error {
  readonly until: Date;
  readonly reason: Extract<WaitReason, 'post_claim' | 'post_slot'>;
  constructor(options: { until: Date; reason: Extract<WaitReason, 'post_claim' | 'post_slot'> }) {
    super(
      `posting waits for ${options.reason === 'post_slot' ? "the channel's posting slot" : 'an earlier post'} until ${options.until.toISOString()}`,
    );
    this.name = 'PostWait';
    this.until = options.until;
    this.reason = options.reason;
  }
}

export interface PostInput {
  token: string;
  key: MessageKey;
  log: LogPort;
  /** Awaited once the claim is taken: the message is rendered while the claim goes to Firestore. */
  rendering: Promise<Rendering>;
  /** The job run's lease token: the post claim is bound to it. Without one, this call counts as a run of its own. */
  leaseToken?: string;
  /** A reply in the thread of this parent message. */
  threadTs?: string;
  /** The channel's posting slots, read with the message (see PostSlotStore.readAhead). */
  slotAhead?: Promise<SlotReading>;
}

interface Posting extends PostInput {
  holder: ClaimHolder;
}

/** Slack answered, but its own failure may have come after the message was stored. */
const MAYBE_POSTED_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'missing_ts']);

/**
 * What a failed chat.postMessage may have left in Slack. Slack's refusals (ok: false, a 429) posted nothing; its
 * own failures may have; with no answer (a timeout, a dropped connection, an HTTP 5xx from in front of Slack) the
 * request may still be at work.
 */
export function toPostAttempt(err: unknown): PostAttempt {
  if (!(err instanceof SlackCallError)) return 'maybe_in_flight';
  if (err.kind !== 'transient') return 'not_sent';
  if (err.code === 'request_failed' || err.code.startsWith('http_')) return 'maybe_in_flight';
  return MAYBE_POSTED_CODES.has(err.code) ? 'maybe_sent' : 'not_sent';
}

/**
 * Posts a PR's message in a channel at most once: under a post claim bound to the run; after a run that may have
 * posted without recording it, the tagged message is looked for and adopted instead; a second copy that lost the race
 * to be recorded is deleted. Throws PostWait for the waits.
 */
export function createPoster(ports: PipelinePorts, options: { owner: string }) {
  const tracked = (key: MessageKey, ts: string, renderHash: string | null): TrackedMessage => ({
    ...key,
    ts,
    renderHash,
    reactions: [],
    deletedAt: null,
    followUps: [],
  });

  /**
   * Records a ts. If another run recorded a different one first (a run that outlived its lease posted too), that
   * message is the PR's: ours is a second copy and is deleted.
   */
  async function record(input: Posting, ts: string, renderHash: string | null): Promise<TrackedMessage> {
    const { key, token, log } = input;
    const result = await ports.tracked.recordPosted({ key, ts, renderHash, now: ports.now() });
    if (result.recorded) return tracked(key, ts, renderHash);
    log.warn(
      { channel: key.channelId, ts, kept_ts: result.ts },
      'PR message posted twice; deleting the copy not recorded',
    );
    await ports.slack.deleteMessage({ token, channel: key.channelId, ts }).catch((err: unknown) => {
      log.error({ err, channel: key.channelId, ts }, 'could not delete a second copy of a PR message');
    });
    return tracked(key, result.ts, null);
  }

  /**
   * An earlier holder may have posted without recording it: find the tagged message and adopt it. Null when it is
   * not there (or the token cannot read history: then we post, as before the tags existed) and the claim is still ours.
   */
  async function adopt(input: Posting, lookFor: UnsurePost): Promise<TrackedMessage | null> {
    const { key, token, log, holder } = input;
    // Only around the claim: after a day-long outage the window is still minutes, not a day of the channel's messages.
    const oldest = new Date(lookFor.since.getTime() - LOOK_MARGIN_MS);
    const latest = new Date(lookFor.until.getTime() + LOOK_MARGIN_MS);
    const search = await ports.slack.findTaggedMessage({
      token,
      channel: key.channelId,
      tag: toMessageTag(key),
      oldest,
      latest,
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    });
    if ('unavailable' in search) {
      log.warn(
        { channel: key.channelId, reason: search.unavailable },
        'cannot look for an unrecorded earlier post (reinstall adds the history scopes); posting',
      );
    } else if (search.found) {
      log.info(
        { channel: key.channelId, ts: search.found.ts },
        'adopted a PR message posted by an earlier run that never recorded it',
      );
      return record(input, search.found.ts, null);
    }
    // The look may have taken a while: post only if the claim is still ours (it is stamped anew).
    if (!(await ports.tracked.confirmClaim({ key, holder, now: ports.now() }))) {
      throw new PostWait({ until: new Date(ports.now().getTime() + 1_000), reason: 'post_claim' });
    }
    return null;
  }

  /** Back a little before the slot, to wait the rest in the run (pacing.ts); never in the past. */
  const returnFor = (slot: Date) => new Date(Math.max(slot.getTime() - POST_RETURN_EARLY_MS, ports.now().getTime()));

  async function post(input: PostInput): Promise<{ message: TrackedMessage; posted: boolean }> {
    const { key, token, log } = input;
    const holder: ClaimHolder = { owner: options.owner, token: input.leaseToken ?? `${options.owner}:${randomUUID()}` };
    // The channel's posting slot is taken with the claim, in the same round trip. A slot taken for a post that then
    // does not happen (the claim is another run's: after a crash, or a race) only spaces the channel's next post.
    const [claim, slot] = await Promise.all([
      ports.tracked.claimPost({ key, holder, now: ports.now() }),
      ports.postSlots.take({
        key,
        now: ports.now,
        intervalMs: POST_INTERVAL_MS,
        holdMs: POST_HOLD_MS,
        ...(input.slotAhead ? { ahead: input.slotAhead } : {}),
      }),
    ]);
    if (claim.outcome === 'busy') throw new PostWait({ until: claim.until, reason: 'post_claim' });
    if (claim.outcome === 'posted') return { message: claim.message, posted: false };
    const posting: Posting = { ...input, holder };
    // Whatever stops this run before the ts is recorded gives the claim back at once (a failure, a wait for the
    // posting slot or for Slack's Retry-After), saying whether a message may now exist unrecorded.
    let stage: 'before' | 'posting' | 'posted' = 'before';
    try {
      const { rendered, hash } = await input.rendering;
      if (claim.lookFor) {
        const adopted = await adopt(posting, claim.lookFor);
        if (adopted) return { message: adopted, posted: false };
      }
      if (!slot.go) throw new PostWait({ until: returnFor(slot.retryAt), reason: 'post_slot' });
      // Held (the claim stays ours): the slot is at most POST_HOLD_MS away. A slot that is now costs no timer.
      if (slot.at > ports.now()) await ports.sleepUntil(slot.at);
      stage = 'posting';
      const sent = await ports.slack.postMessage({
        token,
        channel: key.channelId,
        ...rendered,
        tag: toMessageTag(key),
        ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      });
      stage = 'posted';
      const message = await record(posting, sent.ts, hash);
      log.info(
        { channel: key.channelId, ts: sent.ts, ...(key.followUpId ? { follow_up: key.followUpId } : {}) },
        key.followUpId ? 'PR follow-up sent' : 'PR message posted',
      );
      return { message, posted: true };
    } catch (err) {
      const attempt: PostAttempt =
        stage === 'before' ? 'not_sent' : stage === 'posted' ? 'maybe_sent' : toPostAttempt(err);
      await ports.tracked.releaseClaim({ key, holder, attempt, now: ports.now() }).catch((releaseErr: unknown) => {
        // The claim then settles by itself and the next run looks for the message before posting.
        log.warn({ err: releaseErr, channel: key.channelId }, 'could not give the post claim back');
      });
      throw err;
    }
  }

  return { post };
}
