/**
 * Our own view of a GitHub pull-request event, mapped and validated at the edge (src/github). Only the fields
 * the notifier folds into PR state; a field a payload does not carry is absent, never a made-up zero.
 */
export interface PrSize {
  additions: number;
  deletions: number;
  changedFiles: number;
}

/** The PR's own fields, kept as they are by the PR state (the codec, pr-event-codec.ts, stores and reads them). */
export interface PrFields {
  repoFullName: string;
  /** `repository.private` of the delivery: a private repo reaches only workspaces that proved access to it. */
  repoPrivate: boolean;
  number: number;
  title: string;
  url: string;
  authorLogin: string;
  authorId: number;
  /** `user.type == "Bot"` of the PR's author. Absent in events mapped before it was read: not a bot. */
  authorIsBot?: boolean;
  /** The PR's label names. Absent in events mapped before labels were read: the state keeps what it knew. */
  labels?: string[];
  baseRef: string;
  headRef: string;
  draft: boolean;
  state: PrOpenState;
}

export const PR_OPEN_STATES = ['open', 'closed'] as const;
export type PrOpenState = (typeof PR_OPEN_STATES)[number];

/** A GitHub user an event names (a requested reviewer, who merged). */
export interface GithubPerson {
  id: number;
  login: string;
}

/** A team whose review is requested: `org` is the organization the team belongs to (the repo's owner). */
export interface GithubTeam {
  org: string;
  slug: string;
  name: string;
}

/** One pull request as an event carries it: its fields, and what only some payloads carry. */
export interface PrSnapshot extends PrFields {
  /** `requested_reviewers` / `requested_teams`: whose review the PR waits on. Absent when a payload has no list. */
  requestedReviewers?: GithubPerson[];
  requestedTeams?: GithubTeam[];
  /** Absent in the short pull request of review events. */
  merged?: boolean;
  /** ISO 8601 `updated_at`: orders snapshots of the same PR. */
  updatedAt: string;
  /** Absent in the short pull request of review events. */
  size?: PrSize;
}

export const PR_ACTIONS = [
  'opened',
  'ready_for_review',
  'edited',
  'converted_to_draft',
  'closed',
  'reopened',
  'synchronize',
  'labeled',
  'unlabeled',
  'review_requested',
  'review_request_removed',
] as const;
export type PrAction = (typeof PR_ACTIONS)[number];

export const REVIEW_ACTIONS = ['submitted', 'dismissed'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const REVIEW_STATES = ['approved', 'changes_requested', 'commented', 'dismissed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface Review {
  id: number;
  reviewerId: number;
  reviewerLogin: string;
  state: ReviewState;
  /** ISO 8601 `submitted_at`. */
  submittedAt: string;
  /** The start of the review's text, for the thread; absent when it has none. */
  excerpt?: string;
}

/** Who (`requested_reviewer`) or which team (`requested_team`) a review_requested / review_request_removed names. */
export type ReviewRequestTarget = { reviewer: GithubPerson } | { team: GithubTeam };

export type PrEvent =
  | {
      kind: 'pull_request';
      action: PrAction;
      pr: PrSnapshot;
      /** The event's `sender`: who merged, closed, reopened or requested a review. */
      sender?: GithubPerson;
      /** Only for review_requested / review_request_removed. */
      requested?: ReviewRequestTarget;
    }
  | { kind: 'review'; action: ReviewAction; pr: PrSnapshot; review: Review };

/** Opening a PR (or making it ready) is what announces it, and what may auto-register a workspace. */
export function isAnnouncement(event: PrEvent): boolean {
  return event.kind === 'pull_request' && (event.action === 'opened' || event.action === 'ready_for_review');
}
