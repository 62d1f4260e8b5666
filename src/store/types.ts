/**
 * Ports of the store: what the rest of the app may ask of Firestore. Implemented by the Firestore adapters
 * (src/store/firestore/) and by an in-memory fake (test/support/memory-store/), both checked by one contract suite.
 * Every workspace-owned record carries its team id, and every method that reads workspace data takes it.
 */

import type { SubscribeInput, SubscribeResult } from '../domain/routes.js';
import type { RouteFilters } from '../domain/route-filters.js';
import type {
  AccessProof,
  AutoRegisterInput,
  AutoRegisterResult,
  FoundSources,
  RepoMapping,
  Route,
  Subscription,
} from '../domain/subscription.js';
import type { ReviewRequestDelivery, UserRecord } from '../domain/user.js';

export type {
  AccessProof,
  AutoRegisterResult,
  RepoMapping,
  Route,
  RouteFilters,
  SubscribeResult,
  ReviewRequestDelivery,
  Subscription,
  UserRecord,
};

export interface WorkspaceRecord {
  /** Slack team id, or the enterprise id for an org-wide install. */
  workspaceId: string;
  teamName: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botUserId: string | null;
  /** The Bolt installation (tokens included), encrypted by the caller; null once uninstalled. */
  encryptedInstallation: string | null;
  installedAt: Date;
  uninstalledAt: Date | null;
}

export interface SaveInstallationInput {
  workspaceId: string;
  teamName: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botUserId: string | null;
  encryptedInstallation: string;
  at: Date;
}

export interface WorkspaceStore {
  /** Creates or updates the installation; clears `uninstalled_at` (a reinstall resumes the workspace). */
  saveInstallation(input: SaveInstallationInput): Promise<void>;
  get(workspaceId: string): Promise<WorkspaceRecord | null>;
  /**
   * As `get`, but may answer from this process's memory of a read up to a minute old (see recent-workspaces.ts): this
   * process's own writes are seen at once, another's within that time. Only where a stale answer shows itself and
   * is read again (a bot token Slack refuses).
   */
  getRecent(workspaceId: string): Promise<WorkspaceRecord | null>;
  /**
   * Deletes the stored tokens, sets `uninstalled_at`, and audit-logs it, in one transaction. A workspace that was
   * never installed (no document) is left alone: nothing is written or audit-logged.
   */
  markUninstalled(input: {
    workspaceId: string;
    actor: string;
    reason: string;
    at: Date;
    /**
     * Only if this sealed installation is still the stored one: a token rejected while posting must not
     * uninstall a reinstall that happened meanwhile. Otherwise nothing is changed or audit-logged.
     */
    onlyIfInstallation?: string;
  }): Promise<void>;
  /** Every workspace id with a document, installed or not, in id order (for operator tasks such as re-sealing). */
  listIds(): Promise<string[]>;
  /**
   * Replaces the sealed installation only while `expected` is still the stored one (a reinstall or uninstall
   * meanwhile wins), in one transaction. Returns whether it was replaced.
   */
  replaceInstallation(input: {
    workspaceId: string;
    expected: string;
    replacement: string;
    at: Date;
  }): Promise<boolean>;
}

export interface UserStore {
  get(workspaceId: string, slackUserId: string): Promise<UserRecord | null>;
  /** Sets a verified GitHub identity (and audit-logs `github.link`). */
  linkGithub(input: {
    workspaceId: string;
    slackUserId: string;
    githubUserId: number;
    githubLogin: string;
    at: Date;
  }): Promise<void>;
  /** Removes the GitHub identity, keeps the default channel (audit-logs `github.unlink`). Returns whether one was linked. */
  unlinkGithub(input: { workspaceId: string; slackUserId: string; at: Date }): Promise<boolean>;
  setDefaultChannel(input: { workspaceId: string; slackUserId: string; channelId: string; at: Date }): Promise<void>;
  setNotifications(input: { workspaceId: string; slackUserId: string; enabled: boolean; at: Date }): Promise<void>;
  /** How requested reviews reach this person (creates the user document if there is none yet). */
  setReviewRequests(input: {
    workspaceId: string;
    slackUserId: string;
    delivery: ReviewRequestDelivery;
    at: Date;
  }): Promise<void>;
  /** Whether this person gets DMs about their own PRs (creates the user document if there is none yet). */
  setAuthorNews(input: { workspaceId: string; slackUserId: string; enabled: boolean; at: Date }): Promise<void>;
  /** Verified users with this GitHub id, in every workspace (for auto-registration). */
  findVerifiedByGithubId(githubUserId: number): Promise<UserRecord[]>;
}

export interface RemoveFailedRouteInput {
  workspaceId: string;
  repoFullName: string;
  channelId: string;
  reason: string;
  at: Date;
}

export interface SubscriptionStore {
  /**
   * Creates the `repos` document and its `repo_workspace_mappings` twin in one transaction, or adds the channel
   * as another route (or updates that channel's route: its filters when given) and re-enables the subscription;
   * clears any opt-out, audit-logs `subscription.create`, `subscription.route_add` or `subscription.update`.
   * Records `access` (default: public) as the subscription's proof, replacing an older one.
   */
  subscribe(input: SubscribeInput): Promise<SubscribeResult>;
  /** Replaces one channel's filters (audit-logged `subscription.filter`); says when there is no such route. */
  setFilters(input: {
    workspaceId: string;
    repoFullName: string;
    channelId: string;
    filters: RouteFilters;
    actor: string;
    at: Date;
  }): Promise<'updated' | 'not_subscribed' | 'no_route'>;
  /**
   * Without `channelId`, or for the only route: deletes both documents in one transaction, records the opt-out,
   * audit-logs `subscription.delete`. With the channel of one route of several: removes only that route
   * (`subscription.route_remove`). Returns whether anything was removed.
   */
  unsubscribe(input: {
    workspaceId: string;
    repoFullName: string;
    actor: string;
    at: Date;
    channelId?: string;
  }): Promise<boolean>;
  /**
   * Slack refused a route's channel for good: removes that route (audit-logged `subscription.route_remove` by
   * `system` with the reason) unless it is the subscription's last one, which is left for the caller to pause.
   */
  removeFailedRoute(input: RemoveFailedRouteInput): Promise<'removed' | 'last' | 'absent'>;
  /** Subscribes with `created_by: auto` unless subscribed or opted out, decided inside one transaction. */
  autoRegister(input: AutoRegisterInput): Promise<AutoRegisterResult>;
  get(workspaceId: string, repoFullName: string): Promise<Subscription | null>;
  listForWorkspace(workspaceId: string): Promise<Subscription[]>;
  /** Reads only the mapping index, in one query: the workspaces subscribed to a repo or to its account. */
  workspacesForRepo(repoFullName: string): Promise<RepoMapping[]>;
  /**
   * The subscriptions that may route a repo's PRs in one workspace, in precedence order: the repo's own, then its
   * account's (`owner/*`; left out while the workspace opted out of the repo). One read round trip. With `found`
   * (from the index), only the subscriptions it names are read.
   */
  sourcesForRepo(workspaceId: string, repoFullName: string, found?: FoundSources): Promise<Subscription[]>;
  /** Repo keys the workspace unsubscribed from ("not here"), sorted. */
  optedOutRepos(workspaceId: string): Promise<string[]>;
  isOptedOut(workspaceId: string, repoFullName: string): Promise<boolean>;
  /** Stops (or resumes) posting for one subscription, audit-logged with the reason. */
  setEnabled(input: {
    workspaceId: string;
    repoFullName: string;
    enabled: boolean;
    reason: string | null;
    actor: string;
    at: Date;
  }): Promise<void>;
  /**
   * Disables one subscription only while it is enabled and proved by the public check alone (audit-logged
   * `subscription.disable`). Returns the suspended subscription only to the call that suspended it (so exactly
   * one of concurrent callers tells the subscriber); null when there was nothing to suspend.
   */
  suspendPublicProof(input: {
    workspaceId: string;
    repoFullName: string;
    reason: string;
    actor: string;
    at: Date;
  }): Promise<Subscription | null>;
  /**
   * Disables every enabled subscription of one workspace proved by this GitHub user's access (they unlinked, or
   * their link moved to another GitHub account), each audit-logged `subscription.disable`. Returns those suspended.
   */
  suspendProvenBy(input: {
    workspaceId: string;
    githubUserId: number;
    reason: string;
    actor: string;
    at: Date;
  }): Promise<Subscription[]>;
  /** This process's subscription writes so far, counted as each starts and ends (see subscription-writes.ts). */
  writesSoFar(): number;
}

/**
 * What a state value is for. The identity link is three single-use steps, each bound to the one before:
 * `link_start` (the URL `/notify link` answers with), `slack_oidc` (Sign in with Slack), `github_link` (GitHub OAuth).
 */
export const OAUTH_STATE_KINDS = ['slack_install', 'link_start', 'slack_oidc', 'github_link'] as const;
export type OAuthStateKind = (typeof OAUTH_STATE_KINDS)[number];

export interface OAuthStateRecord {
  state: string;
  kind: OAuthStateKind;
  workspaceId: string | null;
  slackUserId: string | null;
  expiresAt: Date;
  /** Small non-secret extras, e.g. the Bolt install options. */
  data: Record<string, string>;
}

export interface OAuthStateStore {
  /** Creates the state once: a value already stored (even a spent one, until it expires) is `exists`, not overwritten. */
  create(record: OAuthStateRecord): Promise<'created' | 'exists'>;
  /** Single use: returns the record and deletes it in one transaction; null if unknown, already used or expired. */
  consume(input: { state: string; kind: OAuthStateKind; now: Date }): Promise<OAuthStateRecord | null>;
}

export interface AuditEntry {
  workspaceId: string;
  /** Slack user id, `auto`, `slack` (lifecycle events) or `system`. */
  actor: string;
  action: string;
  target: string;
  at: Date;
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  listForWorkspace(workspaceId: string, limit?: number): Promise<AuditEntry[]>;
}

/** A channel's own choices; a channel never set has the defaults (`DEFAULT_CHANNEL_SETTINGS`). */
export interface ChannelSettings {
  /** PR activity goes as replies in the PR message's thread (on), or stays in the message and its reactions. */
  threads: boolean;
}

export const DEFAULT_CHANNEL_SETTINGS: Readonly<ChannelSettings> = { threads: true };

export interface ChannelSettingsStore {
  /** Each asked channel's settings (the defaults when none are stored), in one read round trip. */
  get(workspaceId: string, channelIds: readonly string[]): Promise<Map<string, ChannelSettings>>;
  /** As `get`, from this process's memory of the last minute where it has them (see recent-channel-settings.ts). */
  getRecent(workspaceId: string, channelIds: readonly string[]): Promise<Map<string, ChannelSettings>>;
  /** Sets whether the channel uses threads, audit-logged `channel.settings`. */
  setThreads(input: {
    workspaceId: string;
    channelId: string;
    threads: boolean;
    actor: string;
    at: Date;
  }): Promise<void>;
}

/** The foundation store, as the Slack side and the pipeline see it. */
export interface Store {
  workspaces: WorkspaceStore;
  users: UserStore;
  subscriptions: SubscriptionStore;
  channelSettings: ChannelSettingsStore;
  oauthStates: OAuthStateStore;
  audit: AuditLog;
  /** True when the backing database answers (readiness). */
  ping(): Promise<boolean>;
}
