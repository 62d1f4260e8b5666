import { isAccountTarget } from '../../domain/account-subscription.js';
import type { Subscription } from '../../domain/subscription.js';
import type { PrState } from './pr-state.js';
import type { LogPort, PipelinePorts } from '../ports.js';
import { tellSubscriber } from './subscriber-notice.js';

export const REPO_PRIVATE = 'repo_private';

/** A private repo's PRs reach only workspaces whose subscription proved access to it (not just the public check). */
export function lacksAccessProof(options: { pr: PrState; subscription: Subscription }): boolean {
  return options.pr.repoPrivate && options.subscription.access.kind === 'public';
}

/** The enabled sources whose proof covers the PR's repo (every source of a public repo). */
export function provenSources(pr: PrState, sources: Subscription[]): Subscription[] {
  return sources.filter((s) => s.enabled && !lacksAccessProof({ pr, subscription: s }));
}

/**
 * Of proven sources, those that may post this PR: an account subscription proved by a verified user posts a private
 * repo only where GitHub says that user can read it (`canRead`, asked per repo and cached); a repo's own subscription
 * already proved its access when it was made.
 */
export async function withPrivateAccess(input: {
  sources: Subscription[];
  pr: PrState;
  canRead: (repoFullName: string, githubUserId: number) => Promise<boolean>;
}): Promise<Subscription[]> {
  const { sources, pr, canRead } = input;
  const allowed = await Promise.all(
    sources.map((s) =>
      !pr.repoPrivate || !isAccountTarget(s.repoFullName) || s.access.kind !== 'github_user'
        ? true
        : canRead(pr.repoFullName, s.access.githubUserId),
    ),
  );
  return sources.filter((_, i) => allowed[i]);
}

/**
 * Suspends the subscription (audit-logged by the store) and tells its subscriber once, by DM, how to start again:
 * only the call that suspended it tells, so concurrent jobs of one delivery burst send one DM between them.
 * A workspace without a token (uninstalled) is suspended all the same and told nothing.
 */
export async function suspendForPrivateRepo(options: {
  ports: Pick<PipelinePorts, 'subscriptions' | 'slack' | 'botToken' | 'now'>;
  subscription: Subscription;
  log: LogPort;
}): Promise<void> {
  const { ports, subscription, log } = options;
  const suspended = await ports.subscriptions.suspendPublicProof({
    workspaceId: subscription.workspaceId,
    repoFullName: subscription.repoFullName,
    reason: REPO_PRIVATE,
    actor: 'system',
    at: ports.now(),
  });
  // Already suspended by another job, or re-subscribed with a new proof meanwhile: nothing more to do here.
  if (!suspended) return;
  log.warn(
    { channel: suspended.channelId },
    'repository is private and the subscription had only the public check: suspended',
  );
  const token = await ports.botToken(subscription.workspaceId);
  if (token) await tellSubscriber({ ports, token, subscription: suspended, reason: REPO_PRIVATE, log });
}
