import type { PrEvent, PrSize, PrSnapshot, Review } from './pr-event.js';

/** A reviewer's standing: the latest approval / change request / dismissal, and whether they ever commented. */
export interface ReviewerState {
  login: string;
  decisive: { id: number; state: 'approved' | 'changes_requested' | 'dismissed'; submittedAt: string } | null;
  commented: boolean;
}

/** Everything Slack needs to show about one PR, folded from events in any order. */
export interface PrState extends Omit<PrSnapshot, 'merged' | 'updatedAt' | 'size'> {
  merged: boolean;
  /** `updated_at` of the snapshot the PR fields come from; EPOCH when only a review's short PR was seen. */
  prUpdatedAt: string;
  size: PrSize | null;
  sizeUpdatedAt: string | null;
  /** An opened / ready_for_review event was seen: only then is the PR posted. */
  announced: boolean;
  /** Keyed by the reviewer's GitHub user id. */
  reviewers: Record<string, ReviewerState>;
  /** Time of the event `repoPrivate` comes from: the newest event's visibility wins (a tie: private). */
  visibilityAt: string;
}

export const EPOCH = '1970-01-01T00:00:00Z';

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
        size: next.size,
        sizeUpdatedAt: next.sizeUpdatedAt,
        reviewers: next.reviewers,
        announced: next.announced,
      };
    }
    next.merged = base.merged || event.pr.merged === true;
    if (event.pr.size && (next.sizeUpdatedAt === null || time(event.pr.updatedAt) >= time(next.sizeUpdatedAt))) {
      next.size = event.pr.size;
      next.sizeUpdatedAt = event.pr.updatedAt;
    }
    if (event.action === 'opened' || event.action === 'ready_for_review') next.announced = true;
  } else {
    const key = String(event.review.reviewerId);
    next.reviewers[key] = foldReview(next.reviewers[key], event.review);
  }
  return { ...next, ...foldVisibility(current, event) };
}

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
    reviewers: {},
    visibilityAt: prUpdatedAt,
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
