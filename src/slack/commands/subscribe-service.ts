import { accountOf, isAccountTarget } from '../../domain/account-subscription.js';
import { formatFilters, type RouteFilters } from '../../domain/route-filters.js';
import type { AccessProof, SubscriptionStore } from '../../store/types.js';
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
    async subscribe(input: {
      tenant: Tenant;
      repo: RepoName;
      channel: ChannelRef | null;
      filters?: RouteFilters;
    }): Promise<string> {
      const { tenant, repo } = input;
      const account = isAccountTarget(repo.fullName);
      const access = account
        ? await policy.checkAccount({ workspaceId: tenant.workspaceId, slackUserId: tenant.userId, owner: repo.owner })
        : await policy.check({ workspaceId: tenant.workspaceId, slackUserId: tenant.userId, repo });
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
        ...(input.filters ? { filters: input.filters } : {}),
      });
      const saved = await subscriptions.get(tenant.workspaceId, repo.fullName);
      const route = saved?.routes.find((r) => r.channelId === channel.channelId);
      const where = `<#${channel.channelId}>`;
      const also = result.outcome === 'route_added' ? ' also' : '';
      const privacy =
        access.access.kind === 'github_user'
          ? ' It is a private repository: everyone in that channel will see its PR titles. It keeps posting while your GitHub account stays linked here.'
          : '';
      const filters = route ? formatFilters(route.filters) : '';
      const only = filters === '' ? '' : ` (only pull requests matching \`${filters}\`)`;
      const which = account
        ? ` the pull requests of every public repository of \`${repo.owner}\`${only}: ${WHAT_IS_POSTED}. ${accountPrivacy(access.access, repo.owner, command)} A repository's own subscription in the same channel decides for it.`
        : `${only}: ${WHAT_IS_POSTED}.${privacy}`;
      return `Subscribed: \`${repo.fullName}\` now${also} posts in ${where}${which}`;
    },

    async filter(input: {
      tenant: Tenant;
      repo: RepoName;
      channel: ChannelRef | null;
      filters: RouteFilters;
    }): Promise<string> {
      const { tenant, repo } = input;
      const target = await resolveTarget(tenant, input.channel);
      if (target === null) return unknownChannel(input.channel);
      const outcome = await subscriptions.setFilters({
        workspaceId: tenant.workspaceId,
        repoFullName: repo.fullName,
        channelId: target,
        filters: input.filters,
        actor: tenant.userId,
        at: now(),
      });
      if (outcome !== 'updated')
        return `\`${repo.fullName}\` doesn't post in <#${target}>. Subscribe it there first: \`${command} subscribe ${repo.fullName} [#channel] [filters]\`.`;
      return `Filters set: <#${target}> now gets ${describeFilters(input.filters)} of \`${repo.fullName}\`.`;
    },

    async unsubscribe(input: { tenant: Tenant; repo: RepoName; channel?: ChannelRef }): Promise<string> {
      const name = `\`${input.repo.fullName}\``;
      let channelId: string | undefined;
      if (input.channel) {
        const resolved = await resolveTarget(input.tenant, input.channel);
        if (resolved === null) return unknownChannel(input.channel);
        channelId = resolved;
        const current = await subscriptions.get(input.tenant.workspaceId, input.repo.fullName);
        if (!current?.routes.some((r) => r.channelId === resolved)) {
          const through = await accountRouteIn(input.tenant.workspaceId, input.repo, resolved);
          return through
            ? `${name} reaches <#${resolved}> through \`${through}\`, which can't leave out one repository in one channel. \`${command} unsubscribe ${input.repo.fullName}\` stops it in every channel of this workspace; nothing was changed.`
            : `${name} doesn't post in <#${resolved}>: nothing was changed.`;
        }
      }
      const removed = await subscriptions.unsubscribe({
        workspaceId: input.tenant.workspaceId,
        repoFullName: input.repo.fullName,
        actor: input.tenant.userId,
        at: now(),
        ...(channelId ? { channelId } : {}),
      });
      if (removed && channelId) {
        const left = await subscriptions.get(input.tenant.workspaceId, input.repo.fullName);
        if (left) return `Unsubscribed: ${name} no longer posts in <#${channelId}>; its other channels keep their PRs.`;
      }
      if (isAccountTarget(input.repo.fullName)) {
        return removed
          ? `Unsubscribed: ${name} no longer posts in this workspace. Repositories subscribed on their own keep posting.`
          : `This workspace wasn't subscribed to ${name}: nothing was changed.`;
      }
      const account = (await subscriptions.get(input.tenant.workspaceId, accountOf(input.repo.fullName)))?.repoFullName;
      const alsoAccount = account ? ` \`${account}\` won't post it either.` : '';
      return removed
        ? `Unsubscribed: ${name} no longer posts in this workspace, and PRs opened there won't subscribe it again automatically.${alsoAccount}`
        : account
          ? `Done: ${name} no longer posts in this workspace through \`${account}\`, and PRs opened there won't subscribe it automatically; \`${command} subscribe ${input.repo.fullName}\` brings it back.`
          : `This workspace wasn't subscribed to ${name}. It won't be subscribed automatically either; \`${command} subscribe ${input.repo.fullName}\` brings it back.`;
    },
  };

  /** The account subscription (`owner/*`) that routes a repo to a channel, if any. */
  async function accountRouteIn(workspaceId: string, repo: RepoName, channelId: string): Promise<string | null> {
    if (isAccountTarget(repo.fullName)) return null;
    const account = await subscriptions.get(workspaceId, accountOf(repo.fullName));
    return account?.routes.some((r) => r.channelId === channelId) ? account.repoFullName : null;
  }

  /** The named channel's id, or the channel the command was typed in. */
  async function resolveTarget(tenant: Tenant, channel: ChannelRef | null): Promise<string | null> {
    return channel ? channels.resolveId({ token: tenant.botToken, channel }) : tenant.channelId;
  }
}

/** What an account subscription does with private repositories, by the proof it recorded. */
function accountPrivacy(access: AccessProof, owner: string, command: string): string {
  return access.kind === 'github_user'
    ? `Private repositories of \`${owner}\` are included where your GitHub account can read them (checked through the GitHub App, per repository): everyone in that channel will see their PR titles, while your GitHub account stays linked here.`
    : `Private repositories are not included: link your GitHub account first (\`${command} link\`), or subscribe each on its own, which checks your access.`;
}

function unknownChannel(channel: ChannelRef | null): string {
  return `I can't find ${channel?.name ? `#${channel.name}` : 'that channel'}: pick it from the autocomplete after typing \`#\`.`;
}

/** "its pull requests" or "the pull requests matching `+label:x`", for replies. */
export function describeFilters(filters: RouteFilters): string {
  const text = formatFilters(filters);
  return text === '' ? 'its pull requests' : `the pull requests matching \`${text}\``;
}

export type SubscribeService = ReturnType<typeof createSubscribeService>;
