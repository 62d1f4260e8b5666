import { isAccountTarget, ownerOf } from '../../domain/account-subscription.js';
import { formatFilters } from '../../domain/route-filters.js';
import type { Subscription, UserRecord } from '../../store/types.js';
import { REVIEW_REQUEST_WORDS } from './choice-words.js';

/** Pause reasons a person can act on, in words; others are shown as the code. */
const PAUSE_REASONS: Record<string, string> = {
  repo_private: 'repo_private: the repository turned private; a verified user with access can subscribe it again',
  github_unlinked:
    'github_unlinked: the GitHub account that proved access was unlinked; a verified user with access can subscribe it again',
};

/** A workspace's subscriptions, and the repo keys it opted out of (left out of its account subscriptions). */
export interface SubscriptionListing {
  subscriptions: Subscription[];
  optedOut: string[];
}

/** What an account subscription covers, in words: every public repository but those opted out of. */
function accountScope(s: Subscription, optedOut: string[]): string {
  const owner = ownerOf(s.repoFullName).toLowerCase();
  const except = optedOut.filter((key) => key.startsWith(`${owner}/`) && !isAccountTarget(key));
  const but = except.length === 0 ? '' : `, except ${except.map((key) => `\`${key}\``).join(', ')}`;
  const proof =
    s.access.kind === 'github_user' ? ` and the private ones GitHub id ${s.access.githubUserId} can read` : '';
  return ` (every public repository${proof}${but})`;
}

/** One mrkdwn line per subscription, by repo name: its channels with their filters, and whether it is paused. */
export function subscriptionLines(input: SubscriptionListing): string[] {
  const { subscriptions, optedOut } = input;
  return [...subscriptions]
    .sort((a, b) => a.repoFullName.localeCompare(b.repoFullName))
    .map((s) => {
      const reason = s.disabledReason ? `: ${PAUSE_REASONS[s.disabledReason] ?? s.disabledReason}` : '';
      const paused = s.enabled ? '' : ` (paused${reason})`;
      const auto = s.createdBy === 'auto' ? ', added automatically' : '';
      const account = isAccountTarget(s.repoFullName);
      const proof =
        s.access.kind === 'github_user' && !account ? `, private: access of GitHub id ${s.access.githubUserId}` : '';
      const routes = s.routes.map((r) => {
        const filters = formatFilters(r.filters);
        return filters === '' ? `<#${r.channelId}>` : `<#${r.channelId}> (\`${filters}\`)`;
      });
      const scope = account ? accountScope(s, optedOut) : '';
      return `• \`${s.repoFullName}\`${scope} → ${routes.join(', ')}${paused}${auto}${proof}`;
    });
}

/** Pure renderers for `/notify list` and `/notify status` (mrkdwn). */
export function renderSubscriptions(input: SubscriptionListing & { command: string }): string {
  const { subscriptions, command } = input;
  if (subscriptions.length === 0) return noSubscriptions(command);
  return [`*Subscriptions in this workspace (${subscriptions.length}):*`, ...subscriptionLines(input)].join('\n');
}

export function noSubscriptions(command: string): string {
  return `This workspace has no subscriptions yet. Try \`${command} subscribe owner/repo\` in a channel.`;
}

export function renderStatus(input: SubscriptionListing & { user: UserRecord | null; command: string }): string {
  const { user, command } = input;
  const github =
    user?.githubLogin && user.verified
      ? `@${user.githubLogin} (verified, GitHub id ${user.githubUserId ?? '?'})`
      : user?.githubLogin
        ? `@${user.githubLogin} (not verified: run \`${command} link\`)`
        : `not linked: run \`${command} link\``;
  const channel = user?.defaultChannel ? `<#${user.defaultChannel}>` : `not set: run \`${command} channel #channel\``;
  const notifications = user?.notificationsEnabled === false ? 'off' : 'on';
  const reviews = REVIEW_REQUEST_WORDS[user?.reviewRequests ?? 'thread'];
  const news = user?.authorNews === false ? 'off' : 'on';
  return [
    `*GitHub account:* ${github}`,
    `*Your default channel:* ${channel}`,
    `*Notifications for PRs you open:* ${notifications}`,
    `*Review requests:* ${reviews} (\`${command} reviews thread|dm|off\`)`,
    `*News about your PRs (approved, changes requested, merged):* ${news} (\`${command} news on|off\`)`,
    '',
    renderSubscriptions(input),
  ].join('\n');
}
