/**
 * The one place that knows Firestore collection names and document ids (CONTRACT.md §5).
 * Every id is deterministic so that concurrent writers meet on the same document instead of duplicating it.
 */
export const COLLECTIONS = {
  workspaces: 'workspaces',
  users: 'users',
  repos: 'repos',
  repoWorkspaceMappings: 'repo_workspace_mappings',
  repoOptOuts: 'repo_opt_outs',
  trackedMessages: 'tracked_messages',
  oauthStates: 'oauth_states',
  deliveries: 'deliveries',
  deliveryBodies: 'delivery_bodies',
  auditLog: 'audit_log',
  prStates: 'pr_states',
  jobs: 'jobs',
  subscriptionNotices: 'subscription_notices',
  channelPostSlots: 'channel_post_slots',
  accessGrants: 'access_grants',
  channelSettings: 'channel_settings',
  digests: 'digests',
  digestRuns: 'digest_runs',
  queueMembers: 'queue_members',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Canonical repo key: GitHub repo names are case-insensitive. */
export function repoKey(repoFullName: string): string {
  return repoFullName.trim().toLowerCase();
}

/** `encodeURIComponent(lowercase("owner/repo"))`, e.g. `octo-org%2Fhello-world`. */
export function encodedRepo(repoFullName: string): string {
  return encodeURIComponent(repoKey(repoFullName));
}

interface MessageRef {
  workspaceId: string;
  channelId: string;
  repoFullName: string;
  prNumber: number;
  followUpId?: string;
}

const followUpSuffix = (t: { followUpId?: string }) =>
  t.followUpId === undefined ? '' : `#${encodeURIComponent(t.followUpId)}`;

export const ids = {
  workspace: (workspaceId: string) => workspaceId,
  user: (workspaceId: string, slackUserId: string) => `${workspaceId}#${slackUserId}`,
  repo: (workspaceId: string, repoFullName: string) => `${workspaceId}#${encodedRepo(repoFullName)}`,
  repoWorkspaceMapping: (repoFullName: string, workspaceId: string) => `${encodedRepo(repoFullName)}#${workspaceId}`,
  /** Marks "this workspace unsubscribed from this repo": auto-registration must not bring it back. */
  repoOptOut: (workspaceId: string, repoFullName: string) => `${workspaceId}#${encodedRepo(repoFullName)}`,
  /** A PR's message in a channel; a follow-up of it (a thread reply, a DM) adds its id. */
  trackedMessage: (t: MessageRef) =>
    `${t.workspaceId}#${t.channelId}#${encodedRepo(t.repoFullName)}#${t.prNumber}${followUpSuffix(t)}`,
  oauthState: (state: string) => state,
  delivery: (deliveryId: string) => deliveryId,
  /** The hex SHA-256 of a delivery's raw body: the same body under a new X-GitHub-Delivery is a replay. */
  deliveryBody: (bodySha256: string) => bodySha256,
  prState: (repoFullName: string, prNumber: number) => `${encodedRepo(repoFullName)}#${prNumber}`,
  /** The last "your subscription stopped posting" DM of a subscription: one per disabling. */
  subscriptionNotice: (workspaceId: string, repoFullName: string) => `${workspaceId}#${encodedRepo(repoFullName)}`,
  /** Posting slots of one channel: every instance paces its chat.postMessage calls on this one document. */
  channelPostSlot: (workspaceId: string, channelId: string) => `${workspaceId}#${channelId}`,
  /** A message's booking inside its channel's slot document. */
  postSlotBooking: (t: Omit<MessageRef, 'workspaceId' | 'channelId'>) =>
    `${encodedRepo(t.repoFullName)}#${t.prNumber}${followUpSuffix(t)}`,
  /** What GitHub last said about one GitHub user reading one private repo, for an account subscription's proof. */
  accessGrant: (workspaceId: string, repoFullName: string, githubUserId: number) =>
    `${workspaceId}#${encodedRepo(repoFullName)}#${githubUserId}`,
  /** One channel's settings (threads on or off). */
  channelSettings: (workspaceId: string, channelId: string) => `${workspaceId}#${channelId}`,
  /** One channel's digest of stuck PRs. */
  digest: (workspaceId: string, channelId: string) => `${workspaceId}#${channelId}`,
  /** One day's digest of a channel, claimed before it is posted: never two in a day. */
  digestRun: (k: { workspaceId: string; channelId: string; localDate: string }) =>
    `${k.workspaceId}#${k.channelId}#${k.localDate}`,
  /** One scheduled digest; the config's version in it makes a changed schedule a new job. */
  digestJob: (k: { workspaceId: string; channelId: string; localDate: string; version: number }) =>
    `digest#${k.workspaceId}#${k.channelId}#${k.localDate}#${k.version}`,
  /** A running instance's share of the job queue: its lease owner id. */
  queueMember: (owner: string) => owner,
  /** A redelivered event meets its own fan-out job. */
  fanOutJob: (deliveryId: string) => `fanout#${deliveryId}`,
  /** A burst of events for one PR in one workspace meets one reconcile job. */
  reconcileJob: (k: { workspaceId: string; repoFullName: string; prNumber: number }) =>
    `reconcile#${k.workspaceId}#${encodedRepo(k.repoFullName)}#${k.prNumber}`,
} as const;
