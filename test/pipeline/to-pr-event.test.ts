import { describe, expect, it } from 'vitest';
import { toPrEvent } from '../../src/github/to-pr-event.js';
import { exampleDeliveries, prPayload, reviewPayload, reviewRequestPayload } from '../../dev/local/pr-payloads.js';

describe('toPrEvent', () => {
  it('maps every used example and ignores the rest, without throwing', () => {
    const mapped = exampleDeliveries().map((d) => ({
      action: d.payload['action'],
      result: toPrEvent({ name: d.event, payload: d.payload }),
    }));
    const used = mapped.filter((m) => m.result.kind === 'event');
    expect(used.map((m) => m.action).sort()).toEqual(
      expect.arrayContaining([
        'closed',
        'converted_to_draft',
        'dismissed',
        'opened',
        'ready_for_review',
        'reopened',
        'submitted',
        'synchronize',
      ]),
    );
    // Routing filters look at labels: labeled / unlabeled are used, so a label added after opening counts.
    expect(used.map((m) => m.action)).toEqual(expect.arrayContaining(['labeled', 'unlabeled']));
    expect(mapped.filter((m) => m.result.kind === 'ignored').map((m) => m.action)).toContain('assigned');
  });

  it('maps a pull_request with its size, author and branches', () => {
    const result = toPrEvent({
      name: 'pull_request',
      payload: prPayload({ action: 'opened', number: 5, title: 'Hi', updatedAt: '2024-01-01T00:00:00Z' }),
    });
    expect(result).toEqual({
      kind: 'event',
      event: {
        kind: 'pull_request',
        action: 'opened',
        pr: {
          repoFullName: 'octo-org/hello-world',
          repoPrivate: false,
          number: 5,
          title: 'Hi',
          url: 'https://github.com/octo-org/hello-world/pull/5',
          authorLogin: 'octo-author',
          authorId: 5001,
          authorIsBot: false,
          labels: [],
          requestedReviewers: [],
          requestedTeams: [],
          baseRef: 'master',
          headRef: 'changes',
          draft: false,
          state: 'open',
          merged: false,
          updatedAt: '2024-01-01T00:00:00Z',
          size: { additions: 10, deletions: 2, changedFiles: 3 },
        },
        sender: { id: 5001, login: 'octo-author' },
      },
    });
  });

  it('leaves size and merged out of a review’s short PR', () => {
    const result = toPrEvent({
      name: 'pull_request_review',
      payload: reviewPayload({
        action: 'submitted',
        state: 'approved',
        reviewer: { login: 'r', id: 9 },
        reviewId: 3,
        submittedAt: '2024-01-01T00:00:05Z',
        prUpdatedAt: '2024-01-01T00:00:05Z',
      }),
    });
    if (result.kind !== 'event' || result.event.kind !== 'review') throw new Error('expected a review event');
    expect(result.event.pr.size).toBeUndefined();
    expect(result.event.pr.merged).toBeUndefined();
    expect(result.event.review).toEqual({
      id: 3,
      reviewerId: 9,
      reviewerLogin: 'r',
      state: 'approved',
      submittedAt: '2024-01-01T00:00:05Z',
    });
  });

  it('refuses a used event with a missing field, naming it', () => {
    const payload = prPayload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z' }) as {
      pull_request: Record<string, unknown>;
    };
    delete payload.pull_request['user'];
    expect(() => toPrEvent({ name: 'pull_request', payload })).toThrow(/pull_request\.user\.login/);
    expect(() => toPrEvent({ name: 'pull_request', payload: null })).toThrow(/action/);
  });

  it("carries the repository's visibility; a delivery that does not say counts as private", () => {
    const repoPrivate = (payload: Record<string, unknown>) => {
      const result = toPrEvent({ name: 'pull_request', payload });
      return result.kind === 'event' ? result.event.pr.repoPrivate : 'ignored';
    };
    expect(repoPrivate(prPayload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z', repoPrivate: true }))).toBe(
      true,
    );
    expect(repoPrivate(prPayload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z', repoPrivate: false }))).toBe(
      false,
    );
    const silent = prPayload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z' }) as {
      repository: Record<string, unknown>;
    };
    delete silent.repository['private'];
    expect(repoPrivate(silent)).toBe(true);
    const review = toPrEvent({
      name: 'pull_request_review',
      payload: reviewPayload({
        action: 'submitted',
        state: 'approved',
        reviewer: { login: 'r', id: 9 },
        reviewId: 3,
        submittedAt: '2024-01-01T00:00:05Z',
        prUpdatedAt: '2024-01-01T00:00:05Z',
        repoPrivate: true,
      }),
    });
    expect(review.kind === 'event' && review.event.pr.repoPrivate).toBe(true);
  });

  it('maps a review request to a person or a team, with whose review the PR waits on', () => {
    const person = toPrEvent({
      name: 'pull_request',
      payload: reviewRequestPayload({ updatedAt: '2024-01-01T00:00:00Z', reviewer: { login: 'alice', id: 21 } }),
    });
    expect(person).toMatchObject({
      kind: 'event',
      event: {
        action: 'review_requested',
        requested: { reviewer: { id: 21, login: 'alice' } },
        pr: { requestedReviewers: [{ id: 21, login: 'alice' }], requestedTeams: [] },
      },
    });
    const team = toPrEvent({
      name: 'pull_request',
      payload: reviewRequestPayload({ updatedAt: '2024-01-01T00:00:00Z', team: { slug: 'web', name: 'Web' } }),
    });
    expect(team).toMatchObject({
      event: { requested: { team: { org: 'octo-org', slug: 'web', name: 'Web' } } },
    });
  });

  it('keeps the start of a review’s text on one line, and none when it has none', () => {
    const review = (body?: string) =>
      toPrEvent({
        name: 'pull_request_review',
        payload: reviewPayload({
          action: 'submitted',
          state: 'commented',
          reviewer: { login: 'r', id: 9 },
          reviewId: 3,
          submittedAt: '2024-01-01T00:00:05Z',
          prUpdatedAt: '2024-01-01T00:00:05Z',
          ...(body === undefined ? {} : { body }),
        }),
      });
    expect(review('Nice.\n\nOne   nit')).toMatchObject({ event: { review: { excerpt: 'Nice. One nit' } } });
    const long = review('x'.repeat(500));
    expect(long.kind === 'event' && long.event.kind === 'review' && long.event.review.excerpt?.length).toBe(200);
    const none = review();
    expect(none.kind === 'event' && none.event.kind === 'review' && 'excerpt' in none.event.review).toBe(false);
  });
});
