import { accountOf, isAccountTarget, ownerOf, routesOfSources } from '../domain/account-subscription.js';
import type { Subscription } from '../domain/subscription.js';
import type { PrivateRepoAccess } from '../pipeline/ports.js';
import type { PrState } from '../pipeline/core/pr-state.js';
import { lacksAccessProof, provenSources, withPrivateAccess } from '../pipeline/core/private-repo-guard.js';
import { matchingRoutes } from '../pipeline/core/reconcile.js';
import { repoKey } from '../store/ids.js';
import type { DigestStore } from './digest-ports.js';

export interface ChannelPrsDeps {
  subscriptions: {
    listForWorkspace(workspaceId: string): Promise<Subscription[]>;
    optedOutRepos(workspaceId: string): Promise<string[]>;
  };
  digests: Pick<DigestStore, 'openPrs'>;
  privateRepoAccess: PrivateRepoAccess;
}

/**
 * The open, non-draft, announced PRs a channel gets as messages: the repos and accounts that route to it, with the
 * same rules as reconcile (the repo's own subscription before its account's, opt-outs, filters, paused
 * subscriptions, and the private-repo proofs), so a digest never shows a PR the channel would not be sent.
 */
export async function openPrsOfChannel(
  deps: ChannelPrsDeps,
  input: { workspaceId: string; channelId: string },
): Promise<PrState[]> {
  const { workspaceId, channelId } = input;
  const [subscriptions, optedOut] = await Promise.all([
    deps.subscriptions.listForWorkspace(workspaceId),
    deps.subscriptions.optedOutRepos(workspaceId),
  ]);
  const here = subscriptions.filter((s) => s.routes.some((r) => r.channelId === channelId));
  if (here.length === 0) return [];
  const byKey = new Map(subscriptions.map((s) => [repoKey(s.repoFullName), s]));
  const optedOutKeys = new Set(optedOut.map(repoKey));
  const prs = await deps.digests.openPrs({
    repoKeys: here.filter((s) => !isAccountTarget(s.repoFullName)).map((s) => repoKey(s.repoFullName)),
    ownerKeys: here.filter((s) => isAccountTarget(s.repoFullName)).map((s) => repoKey(ownerOf(s.repoFullName))),
  });
  const canRead = memoized(deps.privateRepoAccess, workspaceId);

  const shown = await Promise.all(
    prs.map(async (pr) => {
      if (pr.state !== 'open' || pr.draft || !pr.announced) return false;
      const key = repoKey(pr.repoFullName);
      const own = byKey.get(key);
      const account = optedOutKeys.has(key) ? undefined : byKey.get(repoKey(accountOf(pr.repoFullName)));
      const sources = [own, account].filter((s): s is Subscription => s !== undefined);
      // As reconcile: a repo subscription proved only by the public check posts nothing of a private repo.
      if (own?.enabled && lacksAccessProof({ pr, subscription: own })) return false;
      const usable = await withPrivateAccess({ sources: provenSources(pr, sources), pr, canRead });
      const routes = matchingRoutes(
        routesOfSources(sources, (s) => usable.includes(s)),
        pr,
      );
      return routes.some(({ route }) => route.channelId === channelId);
    }),
  );
  return prs.filter((_, i) => shown[i]);
}

/** One question to GitHub (or its cached answer) per repo and user in a digest. */
function memoized(access: PrivateRepoAccess, workspaceId: string) {
  const answers = new Map<string, Promise<boolean>>();
  return (repoFullName: string, githubUserId: number): Promise<boolean> => {
    const key = `${repoKey(repoFullName)}#${githubUserId}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = access.canRead({ workspaceId, repoFullName, githubUserId });
      answers.set(key, answer);
    }
    return answer;
  };
}
