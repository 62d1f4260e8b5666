import { describe, expect, it } from 'vitest';
import type { PrStateStore } from '../../../src/pipeline/ports.js';
import type { PrEvent, PrSnapshot } from '../../../src/pipeline/core/pr-event.js';
import { toPrEvent } from '../../../src/github/to-pr-event.js';
import { prPayload } from '../../../dev/local/pr-payloads.js';

export type MakePrStates = () => Promise<[PrStateStore, PrStateStore]>;

let nextNumber = 1;
const snapshot = (over: Partial<PrSnapshot> = {}): PrSnapshot => ({
  repoFullName: 'Octo-Org/Hello-World',
  repoPrivate: false,
  number: 1,
  title: 'Add a feature',
  url: 'https://github.com/octo-org/hello-world/pull/1',
  authorLogin: 'octocat',
  authorId: 1,
  baseRef: 'main',
  headRef: 'feature',
  draft: false,
  state: 'open',
  merged: false,
  updatedAt: '2024-01-01T12:00:00Z',
  size: { additions: 10, deletions: 2, changedFiles: 3 },
  ...over,
});

/** The store folds with src/pipeline/core/pr-state.ts; the contract is that it keeps what it folds, per PR, safely. */
export function describePrStateContract(makeStates: MakePrStates): void {
  describe('PR states', () => {
    it('keeps what it folded, and finds it again whatever the repo name’s case', async () => {
      const [store] = await makeStates();
      const pr = snapshot({ number: (nextNumber += 1) });
      const folded = await store.fold({ kind: 'pull_request', action: 'opened', pr });
      expect(folded.state).toMatchObject({ title: 'Add a feature', announced: true, size: pr.size, merged: false });
      expect(await store.get('octo-org/hello-world', pr.number)).toEqual(folded.state);
      expect(await store.get('octo-org/hello-world', pr.number + 1000)).toBeNull();
    });

    it('tells what an event changed against the state as stored: labels alone, nothing, or something shown', async () => {
      const [store] = await makeStates();
      const number = (nextNumber += 1);
      // GitHub's own example payloads through the app's decoder: every field a real delivery carries is stored.
      const event = (action: string, seconds: number, o: { labels?: string[]; title?: string } = {}): PrEvent => {
        const payload = prPayload({
          action,
          number,
          updatedAt: `2024-01-01T12:00:${String(seconds).padStart(2, '0')}Z`,
          ...o,
        });
        const pr = (payload as { pull_request: Record<string, unknown> }).pull_request;
        pr['labels'] = (o.labels ?? []).map((name, id) => ({ id, name, color: 'ededed' }));
        const mapped = toPrEvent({ name: 'pull_request', payload });
        if (mapped.kind !== 'event') throw new Error(mapped.reason);
        return mapped.event;
      };
      const changeOf = async (e: PrEvent) => (await store.fold(e)).change;
      expect(await changeOf(event('opened', 10))).toBe('shown');
      expect(await changeOf(event('labeled', 11, { labels: ['bug'] }))).toBe('labels');
      expect(await changeOf(event('labeled', 12, { labels: ['bug', 'ui'] }))).toBe('labels');
      // A label's case is not something a filter tells apart.
      expect(await changeOf(event('labeled', 13, { labels: ['BUG', 'ui'] }))).toBe('none');
      expect(await changeOf(event('synchronize', 14, { labels: ['bug', 'ui'] }))).toBe('none');
      // An older snapshot arriving late changes nothing.
      expect(await changeOf(event('edited', 9, { title: 'Late', labels: [] }))).toBe('none');
      expect(await changeOf(event('edited', 15, { title: 'Renamed', labels: ['bug', 'ui'] }))).toBe('shown');
      expect(await changeOf(event('closed', 16, { title: 'Renamed', labels: [] }))).toBe('shown');
    });

    it('keeps whose review the PR waits on and its thread activity, as folded', async () => {
      const [store] = await makeStates();
      const number = (nextNumber += 1);
      const alice = { id: 21, login: 'alice' };
      const team = { org: 'Octo-Org', slug: 'web', name: 'Web' };
      await store.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ number }) });
      await store.fold({
        kind: 'pull_request',
        action: 'review_requested',
        pr: snapshot({
          number,
          updatedAt: '2024-01-01T12:01:00Z',
          requestedReviewers: [alice],
          requestedTeams: [team],
        }),
        sender: { id: 1, login: 'octocat' },
        requested: { team },
      });
      const folded = await store.fold({
        kind: 'review',
        action: 'submitted',
        pr: snapshot({ number, updatedAt: '2024-01-01T12:02:00Z' }),
        review: {
          id: 77,
          reviewerId: 21,
          reviewerLogin: 'alice',
          state: 'changes_requested',
          submittedAt: '2024-01-01T12:02:00Z',
          excerpt: 'Please add a test',
        },
      });
      expect(folded.state.activity).toHaveLength(2);
      expect(folded.state).toMatchObject({
        requestedReviewers: [alice],
        requestedTeams: [team],
        reviewActivityAt: '2024-01-01T12:02:00Z',
      });
      expect(await store.get('octo-org/hello-world', number)).toEqual(folded.state);
    });

    it('merges concurrent events from two instances: none is lost', async () => {
      const [a, b] = await makeStates();
      const number = (nextNumber += 1);
      const events: PrEvent[] = [
        { kind: 'pull_request', action: 'opened', pr: snapshot({ number }) },
        ...[1, 2, 3, 4].map((i): PrEvent => ({
          kind: 'review',
          action: 'submitted',
          pr: snapshot({ number, size: undefined, merged: undefined }),
          review: {
            id: i,
            reviewerId: 100 + i,
            reviewerLogin: `r${i}`,
            state: 'approved',
            submittedAt: '2024-01-01T12:01:00Z',
          },
        })),
      ];
      await Promise.all(events.map((e, i) => (i % 2 ? b : a).fold(e)));
      const state = await a.get('Octo-Org/Hello-World', number);
      expect(state?.announced).toBe(true);
      expect(Object.keys(state?.reviewers ?? {}).sort()).toEqual(['101', '102', '103', '104']);
    });

    it('an older event folded later does not undo a newer one', async () => {
      const [store] = await makeStates();
      const number = (nextNumber += 1);
      await store.fold({
        kind: 'pull_request',
        action: 'edited',
        pr: snapshot({ number, title: 'New', updatedAt: '2024-01-01T13:00:00Z' }),
      });
      await store.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ number, title: 'Old' }) });
      expect(await store.get('Octo-Org/Hello-World', number)).toMatchObject({ title: 'New', announced: true });
    });

    it('an opening that finds a state another instance stored keeps it, and an instance folding from an old copy loses nothing', async () => {
      const [a, b] = await makeStates();
      const number = (nextNumber += 1);
      await b.fold({
        kind: 'pull_request',
        action: 'edited',
        pr: snapshot({ number, title: 'New', updatedAt: '2024-01-01T13:00:00Z' }),
      });
      // a has never seen this PR: its opening (a late delivery) finds b's state and folds into it.
      await a.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ number, title: 'Old' }) });
      expect(await a.get('Octo-Org/Hello-World', number)).toMatchObject({ title: 'New', announced: true });
      // b folds a review from its own last write, which a's fold has overtaken.
      await b.fold({
        kind: 'review',
        action: 'submitted',
        pr: snapshot({ number, title: 'New', updatedAt: '2024-01-01T13:00:00Z', size: undefined, merged: undefined }),
        review: { id: 9, reviewerId: 109, reviewerLogin: 'r9', state: 'approved', submittedAt: '2024-01-01T13:01:00Z' },
      });
      const state = await a.get('Octo-Org/Hello-World', number);
      expect(state).toMatchObject({ title: 'New', announced: true });
      expect(Object.keys(state?.reviewers ?? {})).toEqual(['109']);
    });

    it('hands out copies: changing a returned state changes nothing stored', async () => {
      const [store] = await makeStates();
      const number = (nextNumber += 1);
      const folded = await store.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ number }) });
      folded.state.title = 'CHANGED';
      expect(await store.get('Octo-Org/Hello-World', number)).toMatchObject({ title: 'Add a feature' });
    });
  });
}
