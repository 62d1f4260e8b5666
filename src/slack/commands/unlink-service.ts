import type { Store } from '../../store/types.js';

export const GITHUB_UNLINKED = 'github_unlinked';

/**
 * `/notify unlink`: the private-repo subscriptions this user's GitHub access alone proved in the workspace are
 * suspended (audit-logged) before the link goes, so a failure in between leaves the link for a retry rather
 * than subscriptions without a proof. Returns the reply.
 */
export async function unlinkGithub(options: {
  store: Pick<Store, 'users' | 'subscriptions'>;
  workspaceId: string;
  slackUserId: string;
  command: string;
  now: () => Date;
}): Promise<string> {
  const { store, workspaceId, slackUserId, command, now } = options;
  const user = await store.users.get(workspaceId, slackUserId);
  const suspended =
    user?.githubUserId != null
      ? await store.subscriptions.suspendProvenBy({
          workspaceId,
          githubUserId: user.githubUserId,
          reason: GITHUB_UNLINKED,
          actor: slackUserId,
          at: now(),
        })
      : [];
  const was = await store.users.unlinkGithub({ workspaceId, slackUserId, at: now() });
  const reply = was
    ? 'Your GitHub account is unlinked. Your default channel and settings stay.'
    : 'No GitHub account was linked to you here.';
  if (suspended.length === 0) return reply;
  const list = suspended.map((s) => `• \`${s.repoFullName}\` in <#${s.channelId}>`).join('\n');
  return [
    reply,
    `These private repositories were subscribed on the strength of your GitHub access, so they are paused now:`,
    list,
    `Someone who can see a repository can start it again: \`${command} link\`, then \`${command} subscribe owner/repo #channel\`.`,
  ].join('\n');
}
