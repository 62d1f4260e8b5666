import type { PrState } from '../pipeline/core/pr-state.js';

/** Whom a stuck PR waits on. */
export type Waiter =
  | { kind: 'person'; githubId: number; login: string }
  | { kind: 'team'; name: string }
  /** Changes were requested and no one else is asked: the ball is with the author. */
  | { kind: 'author'; githubId: number; login: string };

export interface StuckPr {
  pr: PrState;
  /** Since when it has waited: its last review activity, or its last update when none was seen. */
  waitingSince: Date;
  waitingOn: Waiter[];
}

const HOUR_MS = 3_600_000;

/**
 * The PRs waiting longer than the threshold (no review activity in that time), oldest first; ties by repo and number
 * so the order is stable.
 */
export function stuckPrs(prs: readonly PrState[], options: { thresholdHours: number; now: Date }): StuckPr[] {
  const cutoff = options.now.getTime() - options.thresholdHours * HOUR_MS;
  return prs
    .map((pr) => ({ pr, waitingSince: new Date(pr.reviewActivityAt ?? pr.prUpdatedAt), waitingOn: waitersOf(pr) }))
    .filter((s) => !Number.isNaN(s.waitingSince.getTime()) && s.waitingSince.getTime() < cutoff)
    .sort(
      (a, b) =>
        a.waitingSince.getTime() - b.waitingSince.getTime() ||
        a.pr.repoFullName.localeCompare(b.pr.repoFullName) ||
        a.pr.number - b.pr.number,
    );
}

/** Requested reviewers and teams; with nobody requested and changes requested by someone, the author. */
export function waitersOf(pr: PrState): Waiter[] {
  const people: Waiter[] = pr.requestedReviewers.map((p) => ({ kind: 'person', githubId: p.id, login: p.login }));
  const teams: Waiter[] = pr.requestedTeams.map((t) => ({ kind: 'team', name: t.name }));
  if (people.length + teams.length > 0) return [...people, ...teams];
  const changesRequested = Object.values(pr.reviewers).some((r) => r.decisive?.state === 'changes_requested');
  return changesRequested ? [{ kind: 'author', githubId: pr.authorId, login: pr.authorLogin }] : [];
}

/** Grouped by repo, each group in the order of its oldest PR (the list is oldest first already). */
export function groupByRepo(stuck: readonly StuckPr[]): Array<{ repoFullName: string; prs: StuckPr[] }> {
  const groups = new Map<string, { repoFullName: string; prs: StuckPr[] }>();
  for (const s of stuck) {
    const key = s.pr.repoFullName.toLowerCase();
    const group = groups.get(key) ?? { repoFullName: s.pr.repoFullName, prs: [] };
    group.prs.push(s);
    groups.set(key, group);
  }
  return [...groups.values()];
}
