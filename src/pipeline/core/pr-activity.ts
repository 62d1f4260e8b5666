import type { GithubPerson, GithubTeam, PrEvent, ReviewRequestTarget, ReviewState } from './pr-event.js';

/**
 * What happened to a PR that people follow in its Slack thread: reviews, review requests, ready for review again,
 * merge / close / reopen. Each entry's id is deterministic (the review's id, the event's time), so a redelivered
 * event folds into the same entry and each entry is posted once per channel.
 */
export type ActivityEntry =
  | { id: string; at: string; kind: 'review'; reviewer: GithubPerson; verdict: ReviewState; excerpt?: string }
  | { id: string; at: string; kind: 'review_requested'; target: ReviewRequestTarget; by?: GithubPerson }
  /** A PR that was announced, turned into a draft and is ready again: whose review it waits on then. */
  | { id: string; at: string; kind: 'ready_for_review'; reviewers: GithubPerson[]; teams: GithubTeam[] }
  | { id: string; at: string; kind: 'merged' | 'closed' | 'reopened'; by?: GithubPerson };

/** The newest entries kept in a PR's state; older ones were posted long ago (a thread is not an archive). */
export const MAX_ACTIVITY = 50;

/**
 * The entry an event adds, if any. `wasReady`: the PR had been ready for review before this event (a first
 * ready_for_review is the announcement itself, not a reply); `requested`: whose review the PR waits on now.
 */
export function activityOf(input: {
  event: PrEvent;
  wasReady: boolean;
  requested: { reviewers: GithubPerson[]; teams: GithubTeam[] };
}): ActivityEntry | null {
  const { event, wasReady, requested } = input;
  if (event.kind === 'review') {
    const { review } = event;
    // A comment-only review with no text is GitHub's wrapper around line comments: noise in a thread.
    if (review.state === 'commented' && review.excerpt === undefined) return null;
    const dismissed = review.state === 'dismissed';
    return {
      id: `${dismissed ? 'dismissed' : 'review'}-${review.id}`,
      at: review.submittedAt,
      kind: 'review',
      reviewer: { id: review.reviewerId, login: review.reviewerLogin },
      verdict: review.state,
      ...(review.excerpt !== undefined ? { excerpt: review.excerpt } : {}),
    };
  }
  const at = event.pr.updatedAt;
  const by = event.sender ? { by: event.sender } : {};
  switch (event.action) {
    case 'review_requested': {
      if (!event.requested) return null;
      const who = 'reviewer' in event.requested ? `u${event.requested.reviewer.id}` : `t${event.requested.team.slug}`;
      return { id: `request-${who}-${at}`, at, kind: 'review_requested', target: event.requested, ...by };
    }
    case 'ready_for_review':
      return wasReady ? { id: `ready-${at}`, at, kind: 'ready_for_review', ...requested } : null;
    case 'closed': {
      const kind = event.pr.merged === true ? 'merged' : 'closed';
      return { id: `${kind}-${at}`, at, kind, ...by };
    }
    case 'reopened':
      return { id: `reopened-${at}`, at, kind: 'reopened', ...by };
    default:
      return null;
  }
}

/** Adds an entry (a redelivery's entry is already there), oldest first, keeping the newest MAX_ACTIVITY. */
export function withActivity(log: ActivityEntry[], entry: ActivityEntry | null): ActivityEntry[] {
  if (entry === null || log.some((e) => e.id === entry.id)) return log;
  const next = sortActivity([...log, entry]);
  return next.slice(Math.max(0, next.length - MAX_ACTIVITY));
}

/** Oldest first (the order replies go in the thread); entries of the same time by id. */
export function sortActivity(entries: ActivityEntry[]): ActivityEntry[] {
  return entries.sort(byTime);
}

function byTime(a: ActivityEntry, b: ActivityEntry): number {
  const dt = (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0);
  return dt !== 0 ? dt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
