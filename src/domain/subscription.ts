import type { RouteFilters } from './route-filters.js';

/** One channel that gets a repo's pull requests, with the filters that choose which. */
export interface Route {
  channelId: string;
  filters: RouteFilters;
  /** Slack user id (or `auto`) that last set this route, and when. */
  setBy: string;
  setAt: Date;
}

/** A workspace's subscription to a repository, shared by the store (which keeps it) and the pipeline (which acts on it). */
export interface Subscription {
  workspaceId: string;
  /** As the user or GitHub spelled it; lookups are case-insensitive. */
  repoFullName: string;
  /** The first route's channel: where notices about the subscription go. */
  channelId: string;
  /** Every channel of the workspace that gets the repo's PRs; never empty, the first is `channelId`'s. */
  routes: Route[];
  enabled: boolean;
  /** Slack user id, or `auto` for auto-registration. */
  createdBy: string;
  createdAt: Date;
  /** Why posting stopped, when `enabled` is false (e.g. `channel_not_found`, `repo_private`). */
  disabledReason: string | null;
  /** How this workspace proved it may see the repo's pull requests. */
  access: AccessProof;
}

/**
 * `public`: GitHub said the repo is public (or the subscription predates proofs): it stops at the first delivery
 * that says the repo is private. `github_user`: the GitHub App confirmed this GitHub user's read access (or they
 * authored a PR in the private repo): it holds while that user stays linked in the workspace.
 */
export type AccessProof = { kind: 'public' } | { kind: 'github_user'; githubUserId: number };

/**
 * Which of a workspace's subscriptions the repo's index entries name: the repo's own, its account's (`owner/*`). A
 * reader given it skips the documents it says are not there.
 */
export interface FoundSources {
  repo: boolean;
  account: boolean;
}

/** One row of the repo → workspaces index (`repo_workspace_mappings`), written with its subscription. */
export interface RepoMapping {
  repoFullName: string;
  workspaceId: string;
  createdAt: Date;
  /**
   * A route of the subscription chooses PRs by label (`+label:` / `-label:`): only then can a change of labels alone
   * change what this workspace shows. True for an entry written before the field existed.
   */
  routesByLabel: boolean;
  /**
   * The subscription itself, as its last change left it (every change writes both twins): a fan-out that found the
   * entry need not read the subscription again. Null in an entry written before it was carried.
   */
  subscription: Subscription | null;
}

/** The index entry of a subscription, as its every change writes it. */
export function mappingOf(s: Subscription): RepoMapping {
  return {
    repoFullName: s.repoFullName,
    workspaceId: s.workspaceId,
    createdAt: s.createdAt,
    routesByLabel: s.routes.some((r) => r.filters.includeLabels.length + r.filters.excludeLabels.length > 0),
    subscription: s,
  };
}

export type AutoRegisterResult = 'created' | 'already_subscribed' | 'opted_out';

/** A PR author's auto-registration in one workspace: the repo subscribed in their default channel. */
export interface AutoRegisterInput {
  workspaceId: string;
  repoFullName: string;
  channelId: string;
  authorSlackUserId: string;
  at: Date;
  access?: AccessProof;
}
