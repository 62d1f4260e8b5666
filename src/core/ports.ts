import type { SubscriptionStore, UserStore } from '../store/types.js';
import type { PrEvent } from './pr-event.js';
import type { PrState } from './pr-state.js';
import type { MessageBlock } from './render-message.js';

/** What the pipeline core needs from the outside world; adapters live in src/store/pipeline and src/github. */

export interface LogPort {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): LogPort;
}

export interface PrStateStore {
  /** Folds the event into the PR's state document in one transaction and returns the result. */
  fold(event: PrEvent): Promise<PrState>;
  get(repoFullName: string, prNumber: number): Promise<PrState | null>;
}

export interface MessageKey {
  teamId: string;
  channelId: string;
  repoFullName: string;
  prNumber: number;
}

export interface TrackedMessage extends MessageKey {
  /** Null while a job holds the right to post (and has not posted yet). */
  ts: string | null;
  renderHash: string | null;
  reactions: string[];
  /** Set once Slack said the message is gone (a person deleted it): never updated or posted again. */
  deletedAt: Date | null;
}

export type PostClaim = { outcome: 'claimed' } | { outcome: 'posted'; message: TrackedMessage } | { outcome: 'busy' };

export interface TrackedMessageStore {
  get(key: MessageKey): Promise<TrackedMessage | null>;
  /**
   * In one transaction: if no message is tracked for the key, records that `owner` is about to post it.
   * A claim older than `staleAfterMs` (its owner crashed before posting) may be taken over.
   */
  claimPost(input: { key: MessageKey; owner: string; now: Date; staleAfterMs: number }): Promise<PostClaim>;
  recordPosted(input: { key: MessageKey; ts: string; renderHash: string; now: Date }): Promise<void>;
  /** Gives a claim back when the post failed, so a retry can claim again at once. */
  releaseClaim(input: { key: MessageKey; owner: string }): Promise<void>;
  update(input: { key: MessageKey; renderHash?: string; reactions?: string[]; now: Date }): Promise<void>;
  /** Remembers that the message was deleted in Slack, so that no job touches or re-posts it. */
  markDeleted(input: { key: MessageKey; reason: string; now: Date }): Promise<void>;
}

export interface SubscriberNoticeStore {
  /**
   * True for exactly one caller per disabling of a subscription (across instances): the subscription is still
   * enabled on `channelId` and nobody claimed the notice since it was last (re-)enabled. Call before disabling it.
   */
  claim(input: { teamId: string; repoFullName: string; channelId: string; reason: string; now: Date }): Promise<boolean>;
}

export type SlotDecision = { go: true } | { go: false; retryAt: Date };

/** Slack allows about one chat.postMessage per second per channel: posting slots per (workspace, channel). */
export interface PostSlotStore {
  /**
   * In one transaction, across instances: books the next free slot of the message's channel for this message
   * (keeping an earlier booking), and once that slot is due and the channel's last post is `intervalMs` ago,
   * takes it (`go`). Otherwise answers when to come back; the caller reschedules instead of sleeping.
   */
  take(input: { key: MessageKey; now: Date; intervalMs: number }): Promise<SlotDecision>;
}

export interface ReconcileKey {
  teamId: string;
  repoFullName: string;
  prNumber: number;
}

export interface ReconcileQueue {
  /** One job per (team, repo, PR), coalescing: a burst of events becomes one pending reconcile, and none is missed. */
  enqueueReconcile(keys: ReconcileKey[]): Promise<void>;
}

/** The job run a reconcile is part of (see src/queue/task.ts JobRun): claims it takes are bound to `leaseToken`. */
export interface RunLease {
  leaseToken: string;
  /** An earlier run of the same job may still be in flight, or may have posted without recording it. */
  mayOverlapEarlierRun: boolean;
}

/** Why a run cannot go on now; it asks to run again later. A wait is not a failure and never counts toward giving up. */
export type WaitReason = 'slack_rate_limited' | 'post_slot' | 'post_claim';
export interface WaitRequest {
  wait: { until: Date; reason: WaitReason };
}

/** `message_gone`: the message a call points at was deleted (or can no longer be edited by the bot). */
export type SlackFailureKind = 'channel' | 'token' | 'message_gone' | 'rate_limited' | 'transient';

/** A Slack call that failed, classified so the core knows whether to retry, disable or skip. */
export class SlackCallError extends Error {
  readonly code: string;
  readonly kind: SlackFailureKind;
  readonly retryAfterMs: number | null;
  constructor(options: { code: string; kind: SlackFailureKind; retryAfterMs?: number | null; method: string }) {
    super(`Slack ${options.method} failed: ${options.code}`);
    this.name = 'SlackCallError';
    this.code = options.code;
    this.kind = options.kind;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export interface SlackMessenger {
  postMessage(input: { token: string; channel: string; text: string; blocks: MessageBlock[] }): Promise<{ ts: string }>;
  updateMessage(input: { token: string; channel: string; ts: string; text: string; blocks: MessageBlock[] }): Promise<void>;
  /** Adding a reaction that is already there counts as success. */
  addReaction(input: { token: string; channel: string; ts: string; name: string }): Promise<void>;
  /** Removing a reaction that is not there counts as success. */
  removeReaction(input: { token: string; channel: string; ts: string; name: string }): Promise<void>;
}

export interface PipelinePorts {
  prStates: PrStateStore;
  tracked: TrackedMessageStore;
  notices: SubscriberNoticeStore;
  postSlots: PostSlotStore;
  queue: ReconcileQueue;
  subscriptions: SubscriptionStore;
  users: UserStore;
  botToken(teamId: string): Promise<string | null>;
  /** Slack refused the bot token for good: uninstall the workspace (once, audit-logged) unless it was reinstalled. */
  tokenRejected(input: { teamId: string; token: string; reason: string }): Promise<void>;
  slack: SlackMessenger;
  now: () => Date;
  log: LogPort;
}
