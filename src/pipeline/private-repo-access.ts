import { ownerOf } from '../domain/account-subscription.js';
import type { RepoAccessClient } from '../github-api/index.js';
import type { AccessGrantStore } from '../store/firestore/access-grant-store.js';
import type { PrivateRepoAccess } from './ports.js';

const HOUR_MS = 60 * 60 * 1000;
/** A granted read is trusted for a day; a refusal is asked again after an hour (access may just have been given). */
const GRANTED_FOR_MS = 24 * HOUR_MS;
const DENIED_FOR_MS = HOUR_MS;

/**
 * The GitHub App's collaborator check behind a Firestore cache. Without App credentials nothing private can be
 * checked: refused. GitHub failing to answer throws, so the reconcile job retries instead of deciding on doubt.
 */
export function createPrivateRepoAccess(options: {
  repos: RepoAccessClient;
  grants: AccessGrantStore;
  now: () => Date;
}): PrivateRepoAccess {
  const { repos, grants, now } = options;
  return {
    async canRead(input) {
      const cached = await grants.get(input);
      const age = cached ? now().getTime() - cached.checkedAt.getTime() : Infinity;
      if (cached && age >= 0 && age < (cached.granted ? GRANTED_FOR_MS : DENIED_FOR_MS)) return cached.granted;
      if (repos.collaboratorAccess === null) return false;
      const owner = ownerOf(input.repoFullName);
      const answer = await repos.collaboratorAccess({
        owner,
        name: input.repoFullName.slice(owner.length + 1),
        githubUserId: input.githubUserId,
      });
      const granted = answer.kind === 'granted';
      const checkedAt = now();
      await grants.put({
        ...input,
        grant: { granted, checkedAt },
        expireAt: new Date(checkedAt.getTime() + 7 * GRANTED_FOR_MS),
      });
      return granted;
    },
  };
}
