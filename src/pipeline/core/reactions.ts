import type { PrState } from './pr-state.js';

/** The reactions this app manages on a PR message; others (added by people) are never touched. */
export const MANAGED_REACTIONS = [
  'tada',
  'x',
  'arrows_counterclockwise',
  'white_check_mark',
  'speech_balloon',
] as const;
export type ManagedReaction = (typeof MANAGED_REACTIONS)[number];

/** CONTRACT.md §6: the outcome reaction and the one review reaction the PR state calls for. */
export function toDesiredReactions(pr: PrState): ManagedReaction[] {
  const desired: ManagedReaction[] = [];
  if (pr.state === 'closed') desired.push(pr.merged ? 'tada' : 'x');
  const review = toReviewReaction(pr);
  if (review) desired.push(review);
  return desired;
}

function toReviewReaction(pr: PrState): ManagedReaction | null {
  const reviewers = Object.entries(pr.reviewers);
  if (reviewers.some(([, r]) => r.decisive?.state === 'changes_requested')) return 'arrows_counterclockwise';
  if (reviewers.some(([, r]) => r.decisive?.state === 'approved')) return 'white_check_mark';
  if (reviewers.some(([id, r]) => r.commented && id !== String(pr.authorId))) return 'speech_balloon';
  return null;
}

/** What to add and remove so that the message carries exactly the desired managed reactions. */
export function diffReactions(options: { desired: readonly string[]; current: readonly string[] }): {
  add: string[];
  remove: string[];
} {
  const { desired, current } = options;
  return {
    add: desired.filter((r) => !current.includes(r)),
    remove: current.filter((r) => !desired.includes(r)),
  };
}
