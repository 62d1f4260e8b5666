import { prPayload, reviewPayload } from '../dev/local/pr-payloads.js';

/** The 20 deliveries of one PR's busy minute, and the Slack message they must leave behind. */
export interface BurstScript {
  deliveries: Array<{ event: string; payload: unknown }>;
  finalTitle: string;
  /** Managed reactions at the end: merged, and an approval as the latest decisive reviews. */
  finalReactions: string[];
}

const REVIEWERS = {
  alice: { login: 'bench-alice', id: 7001 },
  bob: { login: 'bench-bob', id: 7002 },
  carol: { login: 'bench-carol', id: 7003 },
  dave: { login: 'bench-dave', id: 7004 },
};

/** opened, 12 title edits, reviews (bob first asks for changes, then approves), a last edit, a comment, merged. */
export function burstScript(repo: string, number: number): BurstScript {
  const origin = Date.now() - 60_000;
  const at = (i: number) => new Date(origin + i * 1000).toISOString();
  const pr = (i: number, action: string, title: string, extra: { state?: 'closed'; merged?: boolean } = {}) => ({
    event: 'pull_request',
    payload: prPayload({ action, repo, number, title, updatedAt: at(i), ...extra }),
  });
  // A review carries the PR as it is then: its title too, or it would fold an old title back in.
  const review = (
    i: number,
    who: keyof typeof REVIEWERS,
    state: 'approved' | 'changes_requested' | 'commented',
    title: string,
  ) => ({
    event: 'pull_request_review',
    payload: reviewPayload({
      action: 'submitted',
      state,
      reviewer: REVIEWERS[who],
      reviewId: number * 100 + i,
      submittedAt: at(i),
      prUpdatedAt: at(i),
      repo,
      number,
      title,
    }),
  });
  const finalTitle = 'Burst final';
  const deliveries = [
    pr(1, 'opened', 'Burst v1'),
    ...Array.from({ length: 12 }, (_, k) => pr(k + 2, 'edited', `Burst v${k + 2}`)),
    review(14, 'alice', 'approved', 'Burst v13'),
    review(15, 'bob', 'changes_requested', 'Burst v13'),
    review(16, 'carol', 'commented', 'Burst v13'),
    review(17, 'bob', 'approved', 'Burst v13'),
    pr(18, 'edited', finalTitle),
    review(19, 'dave', 'commented', finalTitle),
    pr(20, 'closed', finalTitle, { state: 'closed', merged: true }),
  ];
  return { deliveries, finalTitle, finalReactions: ['tada', 'white_check_mark'] };
}
