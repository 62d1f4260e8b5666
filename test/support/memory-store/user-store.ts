import { ids } from '../../../src/store/ids.js';
import type { UserRecord, UserStore } from '../../../src/store/types.js';
import type { MemoryAuditLog } from './audit-log.js';
import { copy, type Serial } from './serial.js';

type UserKey = { workspaceId: string; slackUserId: string };

export function createMemoryUserStore(options: { serial: Serial; audit: MemoryAuditLog }): UserStore {
  const { serial, audit } = options;
  const users = new Map<string, UserRecord>();

  /** Applies a change to the user, creating it with the same defaults as the Firestore store. */
  const upsert = (key: UserKey, at: Date, patch: Partial<UserRecord>): void => {
    const id = ids.user(key.workspaceId, key.slackUserId);
    const current: UserRecord = users.get(id) ?? {
      workspaceId: key.workspaceId,
      slackUserId: key.slackUserId,
      githubUserId: null,
      githubLogin: null,
      verified: false,
      defaultChannel: null,
      notificationsEnabled: true,
      reviewRequests: 'thread',
      authorNews: true,
      updatedAt: at,
    };
    users.set(id, { ...current, ...patch, updatedAt: at });
  };
  const verifiedWith = (githubUserId: number) =>
    [...users.values()].filter((u) => u.verified && u.githubUserId === githubUserId);

  return {
    get: (workspaceId, slackUserId) =>
      serial(() => {
        const found = users.get(ids.user(workspaceId, slackUserId));
        return found ? copy(found) : null;
      }),
    linkGithub: (input) =>
      serial(() => {
        upsert(input, input.at, { githubUserId: input.githubUserId, githubLogin: input.githubLogin, verified: true });
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.slackUserId,
          action: 'github.link',
          target: input.githubLogin,
          at: input.at,
          details: { github_user_id: input.githubUserId },
        });
      }),
    unlinkGithub: (input) =>
      serial(() => {
        const current = users.get(ids.user(input.workspaceId, input.slackUserId));
        if (!current || current.githubUserId === null) return false;
        upsert(input, input.at, { githubUserId: null, githubLogin: null, verified: false });
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.slackUserId,
          action: 'github.unlink',
          target: current.githubLogin ?? '',
          at: input.at,
          details: { github_user_id: current.githubUserId },
        });
        return true;
      }),
    setDefaultChannel: (input) => serial(() => upsert(input, input.at, { defaultChannel: input.channelId })),
    setNotifications: (input) => serial(() => upsert(input, input.at, { notificationsEnabled: input.enabled })),
    setReviewRequests: (input) => serial(() => upsert(input, input.at, { reviewRequests: input.delivery })),
    setAuthorNews: (input) => serial(() => upsert(input, input.at, { authorNews: input.enabled })),
    findVerifiedByGithubId: (githubUserId) => serial(() => verifiedWith(githubUserId).map(copy)),
  };
}
