import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS, ids, repoKey } from '../ids.js';
import { readFields } from './decode.js';

/** GitHub's last answer to "may this GitHub user read this private repo?", kept for an account subscription. */
export interface AccessGrant {
  granted: boolean;
  checkedAt: Date;
}

export interface AccessGrantStore {
  get(input: { workspaceId: string; repoFullName: string; githubUserId: number }): Promise<AccessGrant | null>;
  /** `expireAt`: Firestore's TTL policy deletes the document after it (it is stale long before). */
  put(input: {
    workspaceId: string;
    repoFullName: string;
    githubUserId: number;
    grant: AccessGrant;
    expireAt: Date;
  }): Promise<void>;
}

/** `access_grants/{team}#{encodedRepo}#{githubUserId}`: one answer per workspace, repo and proving user. */
export function createFirestoreAccessGrantStore(db: Firestore): AccessGrantStore {
  const ref = (i: { workspaceId: string; repoFullName: string; githubUserId: number }) =>
    db.collection(COLLECTIONS.accessGrants).doc(ids.accessGrant(i.workspaceId, i.repoFullName, i.githubUserId));
  return {
    async get(input) {
      const doc = ref(input);
      const snap = await doc.get();
      if (!snap.exists) return null;
      const f = readFields(doc.path, snap.data());
      return { granted: f.boolean('granted'), checkedAt: f.date('checked_at') };
    },
    async put(input) {
      await ref(input).set({
        slack_team_id: input.workspaceId,
        repo_key: repoKey(input.repoFullName),
        github_user_id: input.githubUserId,
        granted: input.grant.granted,
        checked_at: input.grant.checkedAt,
        expire_at: input.expireAt,
      });
    },
  };
}
