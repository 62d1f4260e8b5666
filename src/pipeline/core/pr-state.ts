import { isOneOf } from '../../shared/json-reader.js';
import { labelKeys } from '../../domain/route-filters.js';
import { activityOf, withActivity, type ActivityEntry } from './pr-activity.js';
import type { GithubPerson, GithubTeam, PrEvent, PrSize, PrSnapshot, Review } from './pr-event.js';

/** A reviewer's standing: the latest approval / change request / dismissal, and whether they ever commented. */
export interface ReviewerState {
  login: string;
  decisive: { id: number; state: 'approved' | 'changes_requested' | 'dismissed'; submittedAt: string } | null;
  commented: boolean;
}

/** Everything Slack needs to show about one PR, folded from events in any order. */
export interface PrState extends Omit<
  PrSnapshot,
  'merged' | 'updatedAt' | 'size' | 'requestedReviewers' | 'requestedTeams'
> {
  merged: boolean;
  /** `updated_at` of the snapshot the PR fields come from; EPOCH when only a review's short PR was seen. */
  prUpdatedAt: string;
  size: PrSize | null;
  sizeUpdatedAt: string | null;
  /** An opened / ready_for_review event was seen: only then is the PR posted. */
  announced: boolean;
  /** It was announced ready for review (not as a draft) at least once: a later ready_for_review asks again. */
  wasReady: boolean;
  /** Keyed by the reviewer's GitHub user id. */
  reviewers: Record<string, ReviewerState>;
  /** Time of the event `repoPrivate` comes from: the newest event's visibility wins (a tie: private). */
  visibilityAt: string;
  /** Whose review the PR waits on, from the newest snapshot that listed them. */
  requestedReviewers: GithubPerson[];
  requestedTeams: GithubTeam[];
  /**
   * The last review activity (opened, ready, reopened, a review, a review request): how long the PR has waited.
   * Null when none was seen (the app saw the PR only later in its life).
   */
  reviewActivityAt: string | null;
  /** What the PR's thread shows, oldest first (see pr-activity.ts). */
  activity: ActivityEntry[];
}

export const EPOCH = '1970-01-01T00:00:00Z';

/**
 * What folding an event changed that a workspace could see: `none`; only the labels (which only routing filters look
 * at: the message does not show them); or something the messages show (`shown`), which a new PR always is.
 */
export type PrChange = 'none' | 'labels' | 'shown';

/** Fields no message shows: the times that only order events, and the labels (compared on their own). */
const NOT_SHOWN = new Set(['prUpdatedAt', 'visibilityAt', 'sizeUpdatedAt', 'reviewActivityAt', 'labels']);

/** The state after an event, and what the event changed. */
export interface FoldResult {
  state: PrState;
  change: PrChange;
}

/** Folds one event into the state (see foldPrEvent) and tells what that changed: what a store's fold returns. */
export function foldAndCompare(before: PrState | null, event: PrEvent): FoldResult {
  const state = foldPrEvent(before, event);
  return { state, change: changeOf(before, state) };
}

function changeOf(before: PrState | null, after: PrState): PrChange {
  if (before === null) return 'shown';
  const shown = (s: PrState) =>
    canonicalJson(Object.fromEntries(Object.entries(s).filter(([field]) => !NOT_SHOWN.has(field))));
  if (shown(before) !== shown(after)) return 'shown';
  const labels = (s: PrState) => canonicalJson([...labelKeys(s.labels ?? [])].sort());
  return labels(before) === labels(after) ? 'none' : 'labels';
}

/** JSON with every object's keys sorted and absent values left out: equal states give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const time = (iso: string): number => Date.parse(iso) || 0;

/**
 * Folds one event into the state. Guarded so that the order of events does not matter: PR fields come from
 * the newest snapshot (`updated_at`), size only from full snapshots, `merged` and `announced` only ever turn on,
 * each reviewer keeps their newest decisive review, and the repo's visibility comes from the newest event.
 */
export function foldPrEvent(current: PrState | null, event: PrEvent): PrState {
  const base = current ?? fromSnapshot(event.pr, event.kind === 'review' ? EPOCH : event.pr.updatedAt);
  let next: PrState = { ...base, reviewers: { ...base.reviewers } };
  if (event.kind === 'pull_request') {
    if (current && time(event.pr.updatedAt) >= time(current.prUpdatedAt)) {
      next = {
        ...fromSnapshot(event.pr, event.pr.updatedAt),
        // A snapshot without a label list (an older job) says nothing about labels: keep what was known.
        ...(event.pr.labels === undefined && next.labels !== undefined ? { labels: next.labels } : {}),
        // Lists a payload did not carry are kept as known.
        requestedReviewers: event.pr.requestedReviewers ?? next.requestedReviewers,
        requestedTeams: event.pr.requestedTeams ?? next.requestedTeams,
        size: next.size,
        sizeUpdatedAt: next.sizeUpdatedAt,
        reviewers: next.reviewers,
        announced: next.announced,
        wasReady: next.wasReady,
        reviewActivityAt: next.reviewActivityAt,
        activity: next.activity,
      };
    }
    next.merged = base.merged || event.pr.merged === true;
    if (event.pr.size && (next.sizeUpdatedAt === null || time(event.pr.updatedAt) >= time(next.sizeUpdatedAt))) {
      next.size = event.pr.size;
      next.sizeUpdatedAt = event.pr.updatedAt;
    }
    if (event.action === 'opened' || event.action === 'ready_for_review') {
      next.announced = true;
      next.wasReady = next.wasReady || !event.pr.draft || event.action === 'ready_for_review';
    }
  } else {
    const key = String(event.review.reviewerId);
    next.reviewers[key] = foldReview(next.reviewers[key], event.review);
  }
  const entry = activityOf({
    event,
    wasReady: current?.wasReady === true,
    requested: { reviewers: next.requestedReviewers, teams: next.requestedTeams },
  });
  next.activity = withActivity(next.activity, entry);
  next.reviewActivityAt = latest(next.reviewActivityAt, reviewActivityOf(event));
  return { ...next, ...foldVisibility(current, event) };
}

const ASKS_FOR_REVIEW = ['opened', 'ready_for_review', 'review_requested', 'reopened'] as const;

/** When an event counts as review activity: a review, a review request, or the PR (again) asking for reviews. */
function reviewActivityOf(event: PrEvent): string | null {
  if (event.kind === 'review') return event.review.submittedAt;
  return isOneOf(ASKS_FOR_REVIEW, event.action) ? event.pr.updatedAt : null;
}

const latest = (a: string | null, b: string | null): string | null =>
  a === null || (b !== null && time(b) > time(a)) ? b : a;

function fromSnapshot(pr: PrSnapshot, prUpdatedAt: string): PrState {
  const { merged, updatedAt: _updatedAt, size: _size, ...fields } = pr;
  return {
    ...fields,
    // Always present in a state (the store reads them so): what the routing filters look at.
    labels: pr.labels ?? [],
    authorIsBot: pr.authorIsBot ?? false,
    merged: merged === true,
    prUpdatedAt,
    size: null,
    sizeUpdatedAt: null,
    announced: false,
    wasReady: false,
    reviewers: {},
    visibilityAt: prUpdatedAt,
    requestedReviewers: pr.requestedReviewers ?? [],
    requestedTeams: pr.requestedTeams ?? [],
    reviewActivityAt: null,
    activity: [],
  };
}

/**
 * A repo can turn private (or public) at any time: the newest event says what it is now. A late delivery from
 * before the change does not undo it, and on a tie private wins, so doubt never posts a private PR.
 */
function foldVisibility(current: PrState | null, event: PrEvent): Pick<PrState, 'repoPrivate' | 'visibilityAt'> {
  const at =
    event.kind === 'review' && time(event.review.submittedAt) > time(event.pr.updatedAt)
      ? event.review.submittedAt
      : event.pr.updatedAt;
  if (current === null || time(at) > time(current.visibilityAt))
    return { repoPrivate: event.pr.repoPrivate, visibilityAt: at };
  const tie = time(at) === time(current.visibilityAt);
  return { repoPrivate: current.repoPrivate || (tie && event.pr.repoPrivate), visibilityAt: current.visibilityAt };
}

function foldReview(current: ReviewerState | undefined, review: Review): ReviewerState {
  const reviewer: ReviewerState = current
    ? { ...current, login: review.reviewerLogin }
    : { login: review.reviewerLogin, decisive: null, commented: false };
  if (review.state === 'commented') return { ...reviewer, commented: true };
  const candidate = { id: review.id, state: review.state, submittedAt: review.submittedAt };
  return isNewer(candidate, reviewer.decisive) ? { ...reviewer, decisive: candidate } : reviewer;
}

/** Newer submission wins; a dismissal of the same review wins over the review itself; then the higher id. */
function isNewer(candidate: NonNullable<ReviewerState['decisive']>, existing: ReviewerState['decisive']): boolean {
  if (existing === null) return true;
  const dt = time(candidate.submittedAt) - time(existing.submittedAt);
  if (dt !== 0) return dt > 0;
  if (candidate.id === existing.id) return candidate.state === 'dismissed';
  return candidate.id > existing.id;
}
