import { EPOCH, type PrState } from '../../src/pipeline/core/pr-state.js';

/** A PR's folded state as the renderers take it: open, ready, announced; `over` changes what a test is about. */
export function prStateFixture(over: Partial<PrState> = {}): PrState {
  return {
    repoFullName: 'octo-org/hello-world',
    repoPrivate: false,
    number: 42,
    title: 'Add greeting',
    url: 'https://github.com/octo-org/hello-world/pull/42',
    authorLogin: 'octo',
    authorId: 1,
    authorIsBot: false,
    labels: [],
    baseRef: 'main',
    headRef: 'feature/greet',
    draft: false,
    state: 'open',
    merged: false,
    prUpdatedAt: EPOCH,
    size: null,
    sizeUpdatedAt: null,
    announced: true,
    wasReady: true,
    reviewers: {},
    visibilityAt: EPOCH,
    requestedReviewers: [],
    requestedTeams: [],
    reviewActivityAt: EPOCH,
    activity: [],
    ...over,
  };
}
