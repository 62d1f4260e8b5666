import { describe, expect, it } from 'vitest';
import { prStory, toAccount, type StoryDelivery } from '../../dev/local/github-deliveries.js';
import { toPrEvent } from '../../src/github/to-pr-event.js';
import type { PrEvent } from '../../src/pipeline/core/pr-event.js';
import { foldPrEvent, type PrState } from '../../src/pipeline/core/pr-state.js';

/** What the product makes of a delivery: its own webhook mapping, not a re-reading of the payload here. */
const mapped = (d: StoryDelivery): PrEvent => {
  const m = toPrEvent({ name: d.event, payload: d.payload });
  if (m.kind !== 'event') throw new Error(`the product ignored "${d.label}": ${m.reason}`);
  return m.event;
};
const fold = (deliveries: StoryDelivery[]): PrState | null =>
  deliveries.reduce<PrState | null>((state, d) => foldPrEvent(state, mapped(d)), null);

const START = new Date('2030-05-01T09:00:00Z');
const story = () =>
  prStory({ repo: 'octo-org/web', number: 7, author: 'alice-gh', title: 'Add dark mode', startAt: START });

describe("the local GitHub's PR story (deliveries the product understands)", () => {
  it('maps every step to the event GitHub would mean, carrying the title and draft state forward', () => {
    const s = story();
    const draft = mapped(s.openedAsDraft());
    expect(draft).toMatchObject({ kind: 'pull_request', action: 'opened', pr: { draft: true, state: 'open' } });
    expect(draft.pr).toMatchObject({ repoFullName: 'octo-org/web', number: 7, authorLogin: 'alice-gh' });
    expect(draft.pr.authorId).toBe(toAccount('alice-gh').id);
    expect(mapped(s.readyForReview())).toMatchObject({ action: 'ready_for_review', pr: { draft: false } });
    expect(mapped(s.convertedToDraft())).toMatchObject({ action: 'converted_to_draft', pr: { draft: true } });
    expect(mapped(s.readyForReview()).pr.draft).toBe(false);
    const review = mapped(s.changesRequested('bob-gh'));
    expect(review).toMatchObject({
      kind: 'review',
      action: 'submitted',
      review: { state: 'changes_requested', reviewerLogin: 'bob-gh' },
    });
    expect(mapped(s.approved({ login: 'carol-gh', id: 77 }))).toMatchObject({
      review: { state: 'approved', reviewerLogin: 'carol-gh', reviewerId: 77 },
    });
    expect(mapped(s.edited('Add dark mode and a switch'))).toMatchObject({
      action: 'edited',
      pr: { title: 'Add dark mode and a switch' },
    });
    expect(mapped(s.closed())).toMatchObject({ action: 'closed', pr: { state: 'closed', merged: false } });
    expect(mapped(s.reopened())).toMatchObject({
      action: 'reopened',
      pr: { state: 'open', title: 'Add dark mode and a switch' },
    });
    expect(mapped(s.merged())).toMatchObject({ action: 'closed', pr: { state: 'closed', merged: true } });
  });

  it('each step is a minute after the one built before it, so deliveries sent out of order fold to the latest', () => {
    const s = story();
    const opened = s.opened();
    const approved = s.approved('bob-gh');
    const edited = s.edited('New title');
    const merged = s.merged();
    expect([opened, approved, edited, merged].map((d) => d.at)).toEqual([
      '2030-05-01T09:00:00.000Z',
      '2030-05-01T09:01:00.000Z',
      '2030-05-01T09:02:00.000Z',
      '2030-05-01T09:03:00.000Z',
    ]);
    const inOrder = fold([opened, approved, edited, merged]);
    const shuffled = fold([merged, opened, edited, approved]);
    expect(shuffled).toEqual(inOrder);
    expect(inOrder).toMatchObject({ state: 'closed', merged: true, title: 'New title', draft: false });
    expect(Object.values(inOrder?.reviewers ?? {})).toEqual([
      expect.objectContaining({ login: 'bob-gh', decisive: expect.objectContaining({ state: 'approved' }) }),
    ]);
  });
});
