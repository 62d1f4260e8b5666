import { describe, expect, it } from 'vitest';
import type { PrEvent, PrSnapshot, ReviewState } from '../../src/pipeline/core/pr-event.js';
import { foldPrEvent, type PrState } from '../../src/pipeline/core/pr-state.js';
import { diffReactions, toDesiredReactions } from '../../src/pipeline/core/reactions.js';

const t = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
const snap = (over: Partial<PrSnapshot> & { updatedAt: string }): PrSnapshot => ({
  repoFullName: 'o/r',
  repoPrivate: false,
  number: 1,
  title: 'T',
  url: 'https://github.com/o/r/pull/1',
  authorLogin: 'author',
  authorId: 1,
  baseRef: 'main',
  headRef: 'f',
  draft: false,
  state: 'open',
  merged: false,
  size: { additions: 1, deletions: 1, changedFiles: 1 },
  ...over,
});
const prEvent = (
  action: 'opened' | 'edited' | 'closed' | 'reopened' | 'ready_for_review' | 'converted_to_draft',
  over: Partial<PrSnapshot> & { updatedAt: string },
): PrEvent => ({ kind: 'pull_request', action, pr: snap(over) });
const review = (reviewerId: number, state: ReviewState, at: number, id = at, repoPrivate = false): PrEvent => {
  const { size: _size, merged: _merged, ...short } = snap({ updatedAt: t(at), repoPrivate });
  return {
    kind: 'review',
    action: state === 'dismissed' ? 'dismissed' : 'submitted',
    pr: short,
    review: { id, reviewerId, reviewerLogin: `r${reviewerId}`, state, submittedAt: t(at) },
  };
};
const fold = (events: PrEvent[]) => events.reduce<PrState | null>((s, e) => foldPrEvent(s, e), null);

describe('foldPrEvent', () => {
  const life = [
    prEvent('opened', { title: 'First', updatedAt: t(1) }),
    prEvent('edited', { title: 'Second', size: { additions: 5, deletions: 0, changedFiles: 2 }, updatedAt: t(2) }),
    review(9, 'approved', 3),
    review(8, 'changes_requested', 4),
    prEvent('closed', {
      title: 'Second',
      state: 'closed',
      merged: true,
      size: { additions: 5, deletions: 0, changedFiles: 2 },
      updatedAt: t(5),
    }),
  ];

  it('takes PR fields from the newest snapshot whatever the order', () => {
    const forward = fold(life);
    expect(forward).toMatchObject({
      title: 'Second',
      state: 'closed',
      merged: true,
      announced: true,
      size: { additions: 5 },
    });
    expect(fold([...life].reverse())).toEqual(forward);
    expect(fold([life[2]!, life[0]!, life[4]!, life[1]!, life[3]!])).toEqual(forward);
  });

  it('never lets an older event overwrite newer state', () => {
    const s = fold([
      prEvent('edited', { title: 'New', updatedAt: t(9) }),
      prEvent('opened', { title: 'Old', updatedAt: t(1) }),
    ]);
    expect(s?.title).toBe('New');
    expect(s?.announced).toBe(true);
  });

  it('does not fold a review’s short PR into size', () => {
    const s = fold([prEvent('opened', { updatedAt: t(1) }), review(9, 'commented', 5)]);
    expect(s?.size).toEqual({ additions: 1, deletions: 1, changedFiles: 1 });
    expect(s?.prUpdatedAt).toBe(t(1));
  });

  it('is not announced by reviews or edits alone', () => {
    expect(fold([review(9, 'approved', 2), prEvent('edited', { updatedAt: t(3) })])?.announced).toBe(false);
  });

  it('keeps the latest decisive review per reviewer; a dismissal wins over the review it dismisses', () => {
    expect(
      toDesiredReactions(
        fold([prEvent('opened', { updatedAt: t(1) }), review(9, 'changes_requested', 2), review(9, 'approved', 3)])!,
      ),
    ).toEqual(['white_check_mark']);
    expect(
      toDesiredReactions(
        fold([prEvent('opened', { updatedAt: t(1) }), review(9, 'approved', 3), review(9, 'changes_requested', 2)])!,
      ),
    ).toEqual(['white_check_mark']);
    const dismissed = [
      prEvent('opened', { updatedAt: t(1) }),
      review(9, 'changes_requested', 2, 77),
      review(9, 'dismissed', 2, 77),
    ];
    expect(toDesiredReactions(fold(dismissed)!)).toEqual([]);
    expect(toDesiredReactions(fold([...dismissed].reverse())!)).toEqual([]);
  });
});

describe("the repository's visibility in the PR state", () => {
  const opened = prEvent('opened', { updatedAt: t(1) });
  const turnedPrivate = prEvent('edited', { updatedAt: t(5), repoPrivate: true });

  it('follows the newest event, in whatever order deliveries arrive', () => {
    expect(fold([opened, turnedPrivate])).toMatchObject({ repoPrivate: true, visibilityAt: t(5) });
    expect(fold([turnedPrivate, opened])).toMatchObject({ repoPrivate: true, visibilityAt: t(5) });
    // Public again later: a newer event says so.
    expect(fold([opened, turnedPrivate, prEvent('edited', { updatedAt: t(9), repoPrivate: false })])?.repoPrivate).toBe(
      false,
    );
  });

  it("takes a review's submission time, and lets private win a tie", () => {
    expect(fold([turnedPrivate, review(9, 'approved', 4)])?.repoPrivate).toBe(true);
    expect(fold([turnedPrivate, review(9, 'approved', 7)])?.repoPrivate).toBe(false);
    expect(fold([review(9, 'approved', 7, 7, true), prEvent('edited', { updatedAt: t(7) })])?.repoPrivate).toBe(true);
    expect(fold([prEvent('edited', { updatedAt: t(7) }), review(9, 'approved', 7, 7, true)])?.repoPrivate).toBe(true);
  });
});

describe('reactions', () => {
  const opened = prEvent('opened', { updatedAt: t(1) });
  it.each([
    [[review(2, 'commented', 2)], ['speech_balloon']],
    [[review(1, 'commented', 2)], []],
    [[review(2, 'commented', 2), review(3, 'approved', 3)], ['white_check_mark']],
    [[review(3, 'approved', 3), review(4, 'changes_requested', 4)], ['arrows_counterclockwise']],
    [[prEvent('closed', { state: 'closed', merged: true, updatedAt: t(5) })], ['tada']],
    [[prEvent('closed', { state: 'closed', updatedAt: t(5) })], ['x']],
    [[prEvent('closed', { state: 'closed', updatedAt: t(5) }), prEvent('reopened', { updatedAt: t(6) })], []],
  ])('%#: the state calls for %j', (events, expected) => {
    expect(toDesiredReactions(fold([opened, ...events])!)).toEqual(expected);
  });

  it('diffs desired against current', () => {
    expect(diffReactions({ desired: ['tada', 'white_check_mark'], current: ['x', 'white_check_mark'] })).toEqual({
      add: ['tada'],
      remove: ['x'],
    });
  });
});

describe('the PR’s thread activity and whose review it waits on', () => {
  const alice = { id: 21, login: 'alice' };
  const bob = { id: 22, login: 'bob' };
  const requested = (reviewer: typeof alice, at: number, reviewers = [reviewer]): PrEvent => ({
    kind: 'pull_request',
    action: 'review_requested',
    pr: snap({ updatedAt: t(at), requestedReviewers: reviewers, requestedTeams: [] }),
    sender: { id: 1, login: 'author' },
    requested: { reviewer },
  });
  const withText = (e: PrEvent, excerpt: string): PrEvent =>
    e.kind === 'review' ? { ...e, review: { ...e.review, excerpt } } : e;
  const life: PrEvent[] = [
    prEvent('opened', { updatedAt: t(1) }),
    requested(alice, 2),
    requested(bob, 3, [alice, bob]),
    withText(review(21, 'approved', 4), 'Looks good'),
    review(22, 'commented', 5),
    prEvent('closed', { state: 'closed', merged: true, updatedAt: t(6) }),
  ];

  it('logs reviews with text, review requests and the merge, once each, whatever the order', () => {
    const forward = fold(life);
    expect(forward?.activity.map((e) => `${e.kind}:${e.id}`)).toEqual([
      `review_requested:request-u21-${t(2)}`,
      `review_requested:request-u22-${t(3)}`,
      'review:review-4',
      `merged:merged-${t(6)}`,
    ]);
    expect(forward?.activity[2]).toMatchObject({
      reviewer: { id: 21, login: 'r21' },
      verdict: 'approved',
      excerpt: 'Looks good',
    });
    expect(fold([...life].reverse())?.activity).toEqual(forward?.activity);
    // A redelivered event adds nothing.
    expect(fold([...life, ...life])?.activity).toEqual(forward?.activity);
  });

  it('keeps the newest snapshot’s requested reviewers and the time of the last review activity', () => {
    const s = fold(life);
    expect(s?.requestedReviewers).toEqual([alice, bob]);
    expect(s?.reviewActivityAt).toBe(t(5));
    // An edit is not review activity; a PR seen only through one has none.
    expect(fold([prEvent('edited', { updatedAt: t(9) })])?.reviewActivityAt).toBeNull();
  });

  it('asks for reviews again only when a PR that was announced becomes ready again', () => {
    const first = fold([prEvent('opened', { draft: true, updatedAt: t(1) }), requested(alice, 2)]);
    const ready = foldPrEvent(first, prEvent('ready_for_review', { updatedAt: t(3), requestedReviewers: [alice] }));
    expect(ready.activity.map((e) => e.kind)).toEqual(['review_requested']);
    const back = foldPrEvent(ready, prEvent('converted_to_draft', { draft: true, updatedAt: t(4) }));
    const again = foldPrEvent(back, prEvent('ready_for_review', { updatedAt: t(5), requestedReviewers: [alice] }));
    expect(again.activity.at(-1)).toMatchObject({ kind: 'ready_for_review', reviewers: [alice] });
  });
});
