import type { Subscription } from './subscription.js';

/**
 * A whole GitHub account's repositories are one subscription whose repo name is `owner/*`: it keeps the same
 * documents, routes, filters, audit log and failure handling as a repo's, and its mapping sits in the same index,
 * so fan-out finds a delivery's workspaces with one query over both keys.
 */
const ALL_REPOS = '*';

/** `octo-org/*`: the subscription name of every repository of `octo-org`. */
export function accountTarget(owner: string): string {
  return `${owner}/${ALL_REPOS}`;
}

export function isAccountTarget(fullName: string): boolean {
  return fullName.endsWith(`/${ALL_REPOS}`);
}

/** The owner part of `owner/name` (or of an account's `owner/*`). */
export function ownerOf(fullName: string): string {
  return fullName.slice(0, fullName.indexOf('/'));
}

/** The account subscription that covers a repo: `octo-org/hello` → `octo-org/*`. */
export function accountOf(repoFullName: string): string {
  return accountTarget(ownerOf(repoFullName));
}

/** A route of the subscription it came from: failures and notices act on that subscription (repo or account). */
export interface SourcedRoute {
  route: Subscription['routes'][number];
  source: Subscription;
}

/**
 * The routes a repo's PR may take in one workspace: the repo subscription's own, then the account subscription's in
 * channels the repo subscription does not route to (there the repo route's filters decide, even while it is
 * paused), so a channel never gets a PR twice. `usable` says whether a subscription may post this PR at all.
 */
export function routesOfSources(sources: Subscription[], usable: (s: Subscription) => boolean): SourcedRoute[] {
  const taken = new Set<string>();
  const routes: SourcedRoute[] = [];
  for (const source of sources) {
    if (usable(source))
      for (const route of source.routes) if (!taken.has(route.channelId)) routes.push({ route, source });
    for (const route of source.routes) taken.add(route.channelId);
  }
  return routes;
}
