import type { UserRecord } from '../store/types.js';
import type { PipelineUsers } from './ports.js';

/**
 * The pipeline's look-ups of linked users. Every reconcile job of a fan-out looks up the same author's mention in its
 * own workspace at about the same time: the look-ups asked for in one turn of the event loop share one query for the
 * GitHub id (its verified users, in every workspace), and each caller keeps only its own workspace's user, so no
 * workspace ever receives another's.
 */
export function createLinkedUsers(users: {
  findVerifiedByGithubId(githubUserId: number): Promise<UserRecord[]>;
}): PipelineUsers {
  let thisTurn = new Map<number, Promise<UserRecord[]>>();
  let clearing = false;
  const verified = (githubUserId: number): Promise<UserRecord[]> => {
    let found = thisTurn.get(githubUserId);
    if (!found) {
      found = users.findVerifiedByGithubId(githubUserId);
      thisTurn.set(githubUserId, found);
      if (!clearing) {
        clearing = true;
        // Shared only by callers of the same turn: a later look-up sees a link made since.
        setImmediate(() => {
          thisTurn = new Map();
          clearing = false;
        });
      }
    }
    return found;
  };
  return {
    findVerifiedByGithubId: (githubUserId) => users.findVerifiedByGithubId(githubUserId),
    async findInWorkspaceByGithubId(workspaceId, githubUserId) {
      return (await verified(githubUserId)).find((u) => u.workspaceId === workspaceId) ?? null;
    },
  };
}
