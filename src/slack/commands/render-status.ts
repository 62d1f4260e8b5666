import type { Subscription, UserRecord } from '../../store/types.js';

/** Pure renderers for `/notify list` and `/notify status` (mrkdwn). */
export function renderSubscriptions(subscriptions: Subscription[]): string {
  if (subscriptions.length === 0) return 'This workspace has no subscriptions yet. Try `/notify subscribe owner/repo` in a channel.';
  const lines = [...subscriptions]
    .sort((a, b) => a.repoFullName.localeCompare(b.repoFullName))
    .map((s) => {
      const paused = s.enabled ? '' : ` (paused${s.disabledReason ? `: ${s.disabledReason}` : ''})`;
      const auto = s.createdBy === 'auto' ? ', added automatically' : '';
      return `• \`${s.repoFullName}\` → <#${s.channelId}>${paused}${auto}`;
    });
  return [`*Subscriptions in this workspace (${subscriptions.length}):*`, ...lines].join('\n');
}

export function renderStatus(input: { user: UserRecord | null; subscriptions: Subscription[] }): string {
  const { user } = input;
  const github =
    user?.githubLogin && user.verified ? `@${user.githubLogin} (verified, GitHub id ${user.githubUserId ?? '?'})`
    : user?.githubLogin ? `@${user.githubLogin} (not verified: run \`/notify link\`)`
    : 'not linked: run `/notify link`';
  const channel = user?.defaultChannel ? `<#${user.defaultChannel}>` : 'not set: run `/notify channel #channel`';
  const notifications = user?.notificationsEnabled === false ? 'off' : 'on';
  return [
    `*GitHub account:* ${github}`,
    `*Your default channel:* ${channel}`,
    `*Notifications for PRs you open:* ${notifications}`,
    '',
    renderSubscriptions(input.subscriptions),
  ].join('\n');
}
