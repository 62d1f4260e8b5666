import { ids } from '../../../src/store/ids.js';
import type { UserRecord, UserStore } from '../../../src/store/types.js';
import type { MemoryAuditLog } from './audit-log.js';
import { copy, type Serial } from './serial.js';

type UserKey = { teamId: string; slackUserId: string };

export function createMemoryUserStore(options: { serial: Serial; audit: MemoryAuditLog }): UserStore {
  const { serial, audit } = options;
  const users = new Map<string, UserRecord>();

  /** Applies a change to the user, creating it with the same defaults as the Firestore store. */
  const upsert = (key: UserKey, at: Date, patch: Partial<UserRecord>): void => {
    const id = ids.user(key.teamId, key.slackUserId);
    const current: UserRecord = users.get(id) ?? {
      teamId: key.teamId,
      slackUserId: key.slackUserId,
      githubUserId: null,
      githubLogin: null,
      verified: false,
      defaultChannel: null,
      notificationsEnabled: true,
      updatedAt: at,
    };
    users.set(id, { ...current, ...patch, updatedAt: at });
  };
  const verifiedWith = (githubUserId: number) =>
    [...users.values()].filter((u) => u.verified && u.githubUserId === githubUserId);

  return {
    get: (teamId, slackUserId) =>
      serial(() => {
        const found = users.get(ids.user(teamId, slackUserId));
        return found ? copy(found) : null;
      }),
    linkGithub: (input) =>
      serial(() => {
        upsert(input, input.at, { githubUserId: input.githubUserId, githubLogin: input.githubLogin, verified: true });
        audit.append({
          teamId: input.teamId,
          actor: input.slackUserId,
          action: 'github.link',
          target: input.githubLogin,
          at: input.at,
          details: { github_user_id: input.githubUserId },
        });
      }),
    unlinkGithub: (input) =>
      serial(() => {
        const current = users.get(ids.user(input.teamId, input.slackUserId));
        if (!current || current.githubUserId === null) return false;
        upsert(input, input.at, { githubUserId: null, githubLogin: null, verified: false });
        audit.append({
          teamId: input.teamId,
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
    findVerifiedByGithubId: (githubUserId) => serial(() => verifiedWith(githubUserId).map(copy)),
    findInTeamByGithubId: (teamId, githubUserId) =>
      serial(() => {
        const found = verifiedWith(githubUserId).find((u) => u.teamId === teamId);
        return found ? copy(found) : null;
      }),
  };
}
