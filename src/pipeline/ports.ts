import { UpstreamError } from '../shared/errors.js';
import type { FoundSources, RepoMapping } from '../domain/subscription.js';
import type { UserRecord } from '../domain/user.js';
import type { SubscriptionStore } from '../store/types.js';
import type { JobRequest } from '../queue/job-kind.js';
import type { ClaimAtEnqueue, ClaimedJob } from '../queue/job-store.js';
import type { LogPort } from '../shared/log-port.js';
import type { PrEvent } from './core/pr-event.js';
import type { FoldResult, PrState } from './core/pr-state.js';
import type { ReadAhead } from './read-ahead.js';
import type { RunHandover } from './run-handover.js';
import type { MessageBlock } from './core/render-message.js';

/**
 * What the pipeline needs from the outside world, declared next to the core that uses it. Adapters: Firestore in
 * src/store/pipeline (and src/store/firestore for subscriptions and users), Slack in src/slack/slack-messenger.ts,
 * the job queue in src/pipeline/jobs.ts; wired in src/pipeline/wiring.ts.
 */

export type { LogPort };

/** `claimed`: the delivery's job, created already leased to the runner that asked for it (`claimFor`), or null. */
export type AcceptOutcome = { outcome: 'accepted'; claimed: ClaimedJob | null } | { outcome: 'duplicate' };

/** The deliveries GitHub sent: ingress records each with its fan-out job; the fan-out marks it done. */
export interface DeliveryStore {
  /**
   * Records the delivery, its body's SHA-256 and the (unique) job it causes in one batch. `create()` makes a redelivery
   * (same X-GitHub-Delivery, or the same body under a new one) fail with ALREADY_EXISTS as a whole, so it is
   * recognised and causes no further work.
   */
  accept(input: {
    deliveryId: string;
    bodySha256: string;
    event: string;
    action: string;
    receivedAt: Date;
    job: JobRequest;
    keepForMs: number;
    /** This process's runner takes the job as it is created, if it has room (see ClaimAtEnqueue). */
    claimFor?: ClaimAtEnqueue;
  }): Promise<AcceptOutcome>;
  /** Processing status: the delivery was fanned out to this many workspaces. */
  markFannedOut(input: { deliveryId: string; workspaces: number; at: Date }): Promise<void>;
}

export interface PrStateStore {
  /** Folds the event into the PR's state document (concurrent folds all land): the result, and what it changed. */
  fold(event: PrEvent): Promise<FoldResult>;
  get(repoFullName: string, prNumber: number): Promise<PrState | null>;
}

/**
 * One message the pipeline posts: a PR's message in a channel, or (with `followUpId`) one follow-up of it: a reply in
 * its thread, or a direct message to a person (`channelId` is then their Slack user id).
 */
export interface MessageKey {
  workspaceId: string;
  channelId: string;
  repoFullName: string;
  prNumber: number;
  /** Which follow-up: the PR activity entry's id, prefixed by what is sent for it (see follow-ups.ts). */
  followUpId?: string;
}

export interface TrackedMessage extends MessageKey {
  /** Null while a job holds the right to post (and has not posted yet). */
  ts: string | null;
  renderHash: string | null;
  reactions: string[];
  /** Set once Slack said the message is gone (a person deleted it): never updated or posted again. */
  deletedAt: Date | null;
  /** A PR message's follow-ups already sent (their ids): the rest are still to send. */
  followUps: string[];
}

/** The job run holding a post claim: its process (what a shutdown hands back by) and a token unique to the run. */
export interface ClaimHolder {
  /** The process's queue owner id. */
  owner: string;
  /** Unique per run of the job (a new lease of the same job is a new run): only this run records or releases its claim. */
  token: string;
}

/**
 * A post an earlier claim holder may have made without recording it: sent at `since` or later, and by `until` either
 * visible in the channel's history or never to appear (`until` allows for a request Slack was still working on).
 */
export interface UnsurePost {
  since: Date;
  until: Date;
}

export type PostClaim =
  /** Ours to post. With `lookFor`, first look for the message in Slack (it may be there) and adopt it if found. */
  | { outcome: 'claimed'; lookFor: UnsurePost | null }
  | { outcome: 'posted'; message: TrackedMessage }
  /** Another run holds it, or an earlier post may still be landing: come back at `until` (a wait, not a failure). */
  | { outcome: 'busy'; until: Date };

/**
 * What a holder knows when it gives its claim back: Slack surely has no message (`not_sent`); Slack answered, so a
 * message it may have made is in the channel now (`maybe_sent`); or no answer came (a timeout, a dropped connection,
 * a shutdown mid-call), so a message may still appear until the settle time (`maybe_in_flight`).
 */
export type PostAttempt = 'not_sent' | 'maybe_sent' | 'maybe_in_flight';

export interface TrackedMessageStore {
  get(key: MessageKey): Promise<TrackedMessage | null>;
  /**
   * In one transaction: the right to post the key's message. A claim is held by one run of the key's one reconcile
   * job, so a claim held by another run belongs to a run that is gone: it is taken over as soon as a post that run
   * may have sent has settled (the store's settle time after it claimed), and the new holder is told to look for it.
   */
  claimPost(input: { key: MessageKey; holder: ClaimHolder; now: Date }): Promise<PostClaim>;
  /**
   * After a look found nothing, right before posting: true if `holder` still holds the claim (which is stamped anew,
   * and no longer carries the earlier unsure post). False when the claim was taken over meanwhile.
   */
  confirmClaim(input: { key: MessageKey; holder: ClaimHolder; now: Date }): Promise<boolean>;
  /**
   * Records the message's ts (posted, or adopted with `renderHash: null`). The first ts recorded wins: a later one
   * is not recorded and the recorded one is returned (the caller's message is a duplicate).
   */
  recordPosted(input: {
    key: MessageKey;
    ts: string;
    renderHash: string | null;
    now: Date;
  }): Promise<{ recorded: true } | { recorded: false; ts: string }>;
  /** Gives the claim back (job failed or waits), so the next run can claim at once; remembers a post that may exist. */
  releaseClaim(input: { key: MessageKey; holder: ClaimHolder; attempt: PostAttempt; now: Date }): Promise<void>;
  /** Shutdown: gives back every claim held by this process's runs (their posts may be in flight). Returns how many. */
  releaseClaimsOf(input: { owner: string; now: Date }): Promise<number>;
  /** Records what changed in Slack: the rendering, the reactions, and follow-ups done (added to `followUps`, a set). */
  update(input: {
    key: MessageKey;
    renderHash?: string;
    reactions?: string[];
    followUpIds?: string[];
    now: Date;
  }): Promise<void>;
  /** Remembers that the message was deleted in Slack, so that no job touches or re-posts it. */
  markDeleted(input: { key: MessageKey; reason: string; now: Date }): Promise<void>;
}

export interface SubscriberNoticeStore {
  /**
   * True for exactly one caller per disabling of a subscription (across instances): the subscription is still
   * enabled on `channelId` and nobody claimed the notice since it was last (re-)enabled. Call before disabling it.
   */
  claim(input: {
    workspaceId: string;
    repoFullName: string;
    channelId: string;
    reason: string;
    now: Date;
  }): Promise<boolean>;
}

/** `at`: post at that time (now, or a moment ahead: the caller waits for it); otherwise come back at `retryAt`. */
export type SlotDecision = { go: true; at: Date } | { go: false; retryAt: Date };

/** A channel's posting slots as `readAhead` found them: only the store that made it looks inside. */
export interface SlotReading {
  readonly channel: string;
}

/** Slack allows about one chat.postMessage per second per channel: posting slots per (workspace, channel). */
export interface PostSlotStore {
  /**
   * In one write, across instances: books the next free slot of the message's channel for this message (keeping an
   * earlier booking), and once that slot is at most `holdMs` away and the channel's last post an interval before it,
   * takes it (`go`, with the time to post at). Otherwise answers when to come back; the caller reschedules. `now` is
   * read when the decision is made (after any wait for the channel's document): the post time it records must not
   * be earlier than the post, or the next post in the channel would follow it too closely. The rules are
   * slot-rules.ts.
   */
  take(input: {
    key: MessageKey;
    now: () => Date;
    intervalMs: number;
    holdMs: number;
    /** The channel's slots as read earlier (`readAhead`): the booking's first try writes without reading again. */
    ahead?: Promise<SlotReading>;
  }): Promise<SlotDecision>;
  /**
   * Reads the message's channel's slots now, for a `take` soon after: a caller that expects to post reads them in
   * the round trip that reads the message, so the booking is one round trip less. A stale reading costs a re-read.
   */
  readAhead(key: MessageKey): Promise<SlotReading>;
}

export interface ReconcileKey {
  workspaceId: string;
  repoFullName: string;
  prNumber: number;
}

/** A reconcile as enqueued: with `found`, the subscriptions the fan-out's index query named (the run reads only those). */
export interface ReconcileRequest extends ReconcileKey {
  found?: FoundSources;
  /** The delivery whose fan-out enqueued this version of the job: the key of what that fan-out handed over. */
  deliveryId?: string;
}

/** The repo's index entries, and this process's subscription writes when their read began. */
export interface IndexAnswer {
  mappings: RepoMapping[];
  writesBefore: number;
}

/** What a fan-out hands to the reconcile runs it enqueued on this instance, under `handoverKey`. */
export const handoverKey = (r: ReconcileKey & { deliveryId: string }) =>
  `${r.workspaceId}#${r.repoFullName}#${r.prNumber}@${r.deliveryId}`;

export interface ReconcileQueue {
  /**
   * One job per (team, repo, PR), coalescing: a burst of events becomes one pending reconcile, and none is missed.
   * `expectNew`: the PR's first event, whose jobs are created without being read first (see JobStore.enqueue).
   */
  enqueueReconcile(requests: ReconcileRequest[], options?: { expectNew?: boolean }): Promise<void>;
}

/** The job run a reconcile is part of (see src/queue/task.ts JobRun): claims it takes are bound to `leaseToken`. */
export interface RunLease {
  leaseToken: string;
  /** An earlier run of the same job may still be in flight, or may have posted without recording it. */
  mayOverlapEarlierRun: boolean;
  /** The job's version this run is of: 1 until an enqueue coalesced into the job (see JobRun.version). */
  version: number;
}

/** Why a run cannot go on now; it asks to run again later. A wait is not a failure and never counts toward giving up. */
/** `token_replaced`: Slack refused a token that a reinstall has replaced: run again at once with the new one. */
export type WaitReason = 'slack_rate_limited' | 'post_slot' | 'post_claim' | 'token_replaced';
export interface WaitRequest {
  wait: { until: Date; reason: WaitReason };
}

/** `message_gone`: the message a call points at was deleted (or can no longer be edited by the bot). */
export type SlackFailureKind = 'channel' | 'token' | 'message_gone' | 'rate_limited' | 'transient';

/** A Slack call that failed, classified so the core knows whether to retry, disable or skip. */
export class SlackCallError extends UpstreamError {
  readonly code: string;
  readonly kind: SlackFailureKind;
  readonly retryAfterMs: number | null;
  constructor(options: { code: string; kind: SlackFailureKind; retryAfterMs?: number | null; method: string }) {
    super({ upstream: 'slack', message: `Slack ${options.method} failed: ${options.code}` });
    this.name = 'SlackCallError';
    this.code = options.code;
    this.kind = options.kind;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Slack message metadata naming what a message is, so a message posted but never recorded can be found again. */
export interface MessageTag {
  eventType: string;
  payload: Record<string, string | number | boolean>;
}

export type TaggedMessageSearch =
  | { found: { ts: string } }
  | { found: null }
  /** The workspace's token cannot read the channel's history (installed before the history scopes were asked for). */
  | { unavailable: string };

/**
 * `channel` is a channel id, or a Slack user id (U… / W…) for a direct message from the app to that person (Slack
 * opens the app's DM with them).
 */
export interface SlackMessenger {
  postMessage(input: {
    token: string;
    channel: string;
    text: string;
    blocks: MessageBlock[];
    tag?: MessageTag;
    /** A reply in the thread of this parent message. */
    threadTs?: string;
  }): Promise<{ ts: string }>;
  /**
   * A message posted by an app between `oldest` and `latest` carrying exactly `tag`: in the channel's history
   * (conversations.history with metadata), or among the replies of `threadTs` (conversations.replies). For a user id
   * the DM is opened first (conversations.open) and searched.
   */
  findTaggedMessage(input: {
    token: string;
    channel: string;
    tag: MessageTag;
    oldest: Date;
    latest: Date;
    threadTs?: string;
  }): Promise<TaggedMessageSearch>;
  /** A link to one message (chat.getPermalink); null when Slack cannot give one (the message or channel is gone). */
  getPermalink(input: { token: string; channel: string; ts: string }): Promise<string | null>;
  updateMessage(input: {
    token: string;
    channel: string;
    ts: string;
    text: string;
    blocks: MessageBlock[];
  }): Promise<void>;
  /** Deletes one of the bot's own messages; one already gone counts as success. */
  deleteMessage(input: { token: string; channel: string; ts: string }): Promise<void>;
  /** Adding a reaction that is already there counts as success. */
  addReaction(input: { token: string; channel: string; ts: string; name: string }): Promise<void>;
  /** Removing a reaction that is not there counts as success. */
  removeReaction(input: { token: string; channel: string; ts: string; name: string }): Promise<void>;
}

/** What the pipeline asks of the subscriptions: the store's own methods (see SubscriptionStore). */
export type PipelineSubscriptions = Pick<
  SubscriptionStore,
  | 'workspacesForRepo'
  | 'writesSoFar'
  | 'get'
  | 'sourcesForRepo'
  | 'autoRegister'
  | 'setEnabled'
  | 'removeFailedRoute'
  | 'suspendPublicProof'
>;

/** What the pipeline asks of the users (the store's UserStore implements it). */
export interface PipelineUsers {
  /** Verified users with this GitHub id, in every workspace (for auto-registration). */
  findVerifiedByGithubId(githubUserId: number): Promise<UserRecord[]>;
  /** The verified user of one workspace with this GitHub id, for Slack mentions. */
  findInWorkspaceByGithubId(workspaceId: string, githubUserId: number): Promise<UserRecord | null>;
}

/**
 * May this GitHub user read this private repo? Asked for an account subscription (`owner/*`) proved by a verified
 * user, before its routes post a private repo's PR: per repo, as a single repo's subscribe checks it. Answers are
 * cached, so a PR life costs GitHub one call per workspace and private repo at most a day.
 */
export interface PrivateRepoAccess {
  canRead(input: { workspaceId: string; repoFullName: string; githubUserId: number }): Promise<boolean>;
}

/** A GitHub team's members, for mentioning the linked ones when a team's review is requested. */
export interface GithubTeams {
  /** As the GitHub App sees them; null when unknown (no App credentials, the App cannot see the team, GitHub failed). */
  members(input: { org: string; teamSlug: string }): Promise<{ id: number; login: string }[] | null>;
}

/** Per-channel choices (`/notify settings #channel threads:on|off`). */
export interface PipelineChannelSettings {
  /**
   * Each channel's settings, in one read: `threads`, whether it gets PR activity as thread replies (a channel with no
   * settings has them on) or only in the parent message.
   */
  get(workspaceId: string, channelIds: readonly string[]): Promise<Map<string, { threads: boolean }>>;
}

export interface PipelinePorts {
  /**
   * The repo's subscribers as the instance that accepted a delivery read them while storing it, by delivery id (that
   * instance runs the delivery's fan-out): the fan-out's index query, already under way. Absent: the fan-out queries.
   */
  mappingsAhead?: Pick<ReadAhead<IndexAnswer>, 'take'>;
  /**
   * What the fan-out read and wrote that its reconcile runs would read (see run-handover.ts), for the run of the job
   * version that fan-out enqueued. Absent, taken or stale: the run reads.
   */
  handedOver?: RunHandover;
  prStates: PrStateStore;
  channelSettings: PipelineChannelSettings;
  githubTeams: GithubTeams;
  tracked: TrackedMessageStore;
  notices: SubscriberNoticeStore;
  postSlots: PostSlotStore;
  queue: ReconcileQueue;
  subscriptions: PipelineSubscriptions;
  privateRepoAccess: PrivateRepoAccess;
  users: PipelineUsers;
  /** The workspace's bot token, from a read up to a minute old: a refused one is checked (tokenRejected). */
  botToken(workspaceId: string): Promise<string | null>;
  /**
   * Slack refused the bot token for good: uninstall the workspace (once, audit-logged), unless it was reinstalled
   * with another token meanwhile (`replaced`: `botToken` now gives that one).
   */
  tokenRejected(input: { workspaceId: string; token: string; reason: string }): Promise<'uninstalled' | 'replaced'>;
  slack: SlackMessenger;
  now: () => Date;
  /** Resolves at `at` by `now` (a post waiting in its run for its slot, at most POST_HOLD_MS ahead). */
  sleepUntil(at: Date): Promise<void>;
  log: LogPort;
}
