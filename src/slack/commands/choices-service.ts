import type { ReviewRequestDelivery } from '../../domain/user.js';
import type { Store } from '../../store/types.js';
import type { ChannelAccess } from './channel-access.js';
import { REVIEW_REQUEST_WORDS, THREADS_OFF, THREADS_ON } from './choice-words.js';
import type { ChannelRef } from './parse-channel.js';
import type { Tenant } from './tenant.js';

/** `/notify reviews`, `news` and `settings`: a person's own choices, and a channel's settings. */
export function createChoicesService(options: {
  store: Store;
  channels: ChannelAccess;
  command: string;
  now: () => Date;
}) {
  const { store, channels, command, now } = options;
  const key = (t: Tenant) => ({ workspaceId: t.workspaceId, slackUserId: t.userId });

  /** Said after a choice that needs the link: until then the app cannot tell which PRs are yours. */
  async function linkHint(tenant: Tenant): Promise<string> {
    const user = await store.users.get(tenant.workspaceId, tenant.userId);
    return user?.verified
      ? ''
      : ` This needs your GitHub account linked (\`${command} link\`): until then I can't tell which pull requests are yours.`;
  }

  async function resolveChannel(tenant: Tenant, channel: ChannelRef | null, change: boolean) {
    // A command typed in a DM (or a Home tab button, which has no channel) must name the channel.
    if (channel === null && (tenant.channelId === '' || /^D/.test(tenant.channelId)))
      return {
        ok: false as const,
        message: `Settings belong to a channel: run this in the channel, or name it: \`${command} settings #channel\`.`,
      };
    const target = {
      token: tenant.botToken,
      channel: channel ?? { id: tenant.channelId, name: null },
      botUserId: tenant.botUserId,
    };
    return change ? channels.ensurePostable(target) : channels.ensureVisible(target);
  }

  return {
    async reviews(tenant: Tenant, delivery: ReviewRequestDelivery): Promise<string> {
      await store.users.setReviewRequests({ ...key(tenant), delivery, at: now() });
      const what =
        delivery === 'off'
          ? 'Review requests are off: I will not tell you when someone asks for your review.'
          : `Review requests: when someone asks for your review on a pull request posted here, you get ${REVIEW_REQUEST_WORDS[delivery]}.`;
      return `${what}${delivery === 'off' ? '' : await linkHint(tenant)}`;
    },

    async news(tenant: Tenant, enabled: boolean): Promise<string> {
      await store.users.setAuthorNews({ ...key(tenant), enabled, at: now() });
      if (!enabled)
        return 'News about your pull requests is off: no direct message when they are approved, get changes requested or are merged.';
      return `News about your pull requests is on: I send you a direct message when one you opened is approved, gets changes requested or is merged.${await linkHint(tenant)}`;
    },

    async settings(tenant: Tenant, input: { channel: ChannelRef | null; threads?: boolean }): Promise<string> {
      const { threads } = input;
      const check = await resolveChannel(tenant, input.channel, threads !== undefined);
      if (!check.ok) return check.message;
      const { channelId } = check;
      if (threads !== undefined) {
        await store.channelSettings.setThreads({
          workspaceId: tenant.workspaceId,
          channelId,
          threads,
          actor: tenant.userId,
          at: now(),
        });
        return `Threads are now ${threads ? 'on' : 'off'} in <#${channelId}>: ${threads ? THREADS_ON : THREADS_OFF}.`;
      }
      const settings = await store.channelSettings.get(tenant.workspaceId, [channelId]);
      const on = settings.get(channelId)?.threads !== false;
      return [
        `*Settings of <#${channelId}>:*`,
        `• *Threads:* ${on ? 'on' : 'off'}: ${on ? THREADS_ON : THREADS_OFF}.`,
        `To change it: \`${command} settings #channel threads:${on ? 'off' : 'on'}\`.`,
      ].join('\n');
    },
  };
}

export type ChoicesService = ReturnType<typeof createChoicesService>;
