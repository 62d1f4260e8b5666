import type { SubscriptionStore } from '../../store/types.js';
import type { ChannelAccess } from './channel-access.js';
import type { ChannelRef } from './parse-channel.js';
import type { RepoName } from './parse-repo.js';
import type { RepoAccessPolicy } from './repo-access-policy.js';
import type { Tenant } from './tenant.js';

const WHAT_IS_POSTED =
  'one message per pull request when it opens or is ready for review, kept up to date with edits, reviews, merges and closes';

/** `/notify subscribe` and `unsubscribe`: access first (nothing is joined for a refused repo), then the channel, then one store write. */
export function createSubscribeService(options: {
  policy: RepoAccessPolicy;
  channels: ChannelAccess;
  subscriptions: SubscriptionStore;
  command: string;
  now: () => Date;
}) {
  const { policy, channels, subscriptions, command, now } = options;
  return {
    async subscribe(input: { tenant: Tenant; repo: RepoName; channel: ChannelRef | null }): Promise<string> {
      const { tenant, repo } = input;
      const access = await policy.check({ workspaceId: tenant.workspaceId, slackUserId: tenant.userId, repo });
      if (!access.ok) return access.message;
      if (input.channel === null && /^D/.test(tenant.channelId)) {
        return `I can only post in channels. Run this in the channel that should get the PRs, or name it: \`${command} subscribe ${repo.fullName} #channel\`.`;
      }
      const target = input.channel ?? { id: tenant.channelId, name: null };
      const channel = await channels.ensurePostable({
        token: tenant.botToken,
        channel: target,
        botUserId: tenant.botUserId,
      });
      if (!channel.ok) return channel.message;
      const result = await subscriptions.subscribe({
        workspaceId: tenant.workspaceId,
        repoFullName: repo.fullName,
        channelId: channel.channelId,
        actor: tenant.userId,
        at: now(),
        access: access.access,
      });
      const where = `<#${channel.channelId}>`;
      const moved =
        result.outcome === 'updated' && result.previousChannelId !== channel.channelId
          ? ` (moved from <#${result.previousChannelId}>)`
          : '';
      const privacy =
        access.access.kind === 'github_user'
          ? ' It is a private repository: everyone in that channel will see its PR titles. It keeps posting while your GitHub account stays linked here.'
          : '';
      return `Subscribed: \`${repo.fullName}\` now posts in ${where}${moved}: ${WHAT_IS_POSTED}.${privacy}`;
    },

    async unsubscribe(input: { tenant: Tenant; repo: RepoName }): Promise<string> {
      const removed = await subscriptions.unsubscribe({
        workspaceId: input.tenant.workspaceId,
        repoFullName: input.repo.fullName,
        actor: input.tenant.userId,
        at: now(),
      });
      const name = `\`${input.repo.fullName}\``;
      return removed
        ? `Unsubscribed: ${name} no longer posts in this workspace, and PRs opened there won't subscribe it again automatically.`
        : `This workspace wasn't subscribed to ${name}. It won't be subscribed automatically either; \`${command} subscribe ${input.repo.fullName}\` brings it back.`;
    },
  };
}

export type SubscribeService = ReturnType<typeof createSubscribeService>;
