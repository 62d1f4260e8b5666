import type { DigestService } from '../../digest/digest-service.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/types.js';
import type { LinkService } from '../link/link-service.js';
import type { ChannelAccess } from './channel-access.js';
import { createChoicesService } from './choices-service.js';
import { forEachRepo } from './each-repo.js';
import type { NotifyCommand } from './parse-command.js';
import type { RepoName } from './parse-repo.js';
import { renderStatus, renderSubscriptions } from './render-status.js';
import type { SubscribeService } from './subscribe-service.js';
import type { Tenant } from './tenant.js';
import { unlinkGithub } from './unlink-service.js';
import { renderUsage } from './usage-text.js';

/** Runs one parsed `/notify` command for one verified tenant and returns the ephemeral reply (mrkdwn). */
export function createNotifyService(options: {
  store: Store;
  link: LinkService;
  channels: ChannelAccess;
  subscriptions: SubscribeService;
  /** `/notify digest`. */
  digest: DigestService;
  /** The slash command's name, for the texts. */
  command: string;
  now: () => Date;
  log: Logger;
}) {
  const { store, link, channels, subscriptions, digest, command: name, now, log } = options;
  const repoFailed = (tenant: Tenant, subcommand: string) => (repo: RepoName, err: unknown) => {
    log.error(
      { err, team_id: tenant.workspaceId, slack_user_id: tenant.userId, subcommand, repo: repo.fullName },
      `${name} failed for one repo`,
    );
    return `\`${repo.fullName}\`: not done, because Slack or GitHub did not answer as expected. Please try it again in a minute.`;
  };
  const key = (t: Tenant) => ({ workspaceId: t.workspaceId, slackUserId: t.userId });
  const choices = createChoicesService({ store, channels, command: name, now });
  const listSubscriptions = async (workspaceId: string) => {
    const [subscriptions, optedOut] = await Promise.all([
      store.subscriptions.listForWorkspace(workspaceId),
      store.subscriptions.optedOutRepos(workspaceId),
    ]);
    return { subscriptions, optedOut };
  };

  return {
    /** The workspace's subscriptions and opt-outs, as `list`, `status` and the Home tab show them. */
    listSubscriptions,

    async run(input: { tenant: Tenant; command: NotifyCommand }): Promise<string> {
      const { tenant, command } = input;
      switch (command.kind) {
        case 'help':
          return renderUsage(name);
        case 'usage_error':
          return `${command.message}\n\n${renderUsage(name)}`;
        case 'link': {
          const url = await link.start(key(tenant));
          return `<${url}|Connect your GitHub account>. The link is for you only, works once and expires in 15 minutes.`;
        }
        case 'unlink':
          return unlinkGithub({ store, ...key(tenant), command: name, now });
        case 'channel': {
          const check = await channels.ensurePostable({
            token: tenant.botToken,
            channel: command.channel,
            botUserId: tenant.botUserId,
          });
          if (!check.ok) return check.message;
          await store.users.setDefaultChannel({ ...key(tenant), channelId: check.channelId, at: now() });
          return `Your default channel is now <#${check.channelId}>: pull requests you open in repositories this workspace doesn't follow yet will be announced there.`;
        }
        case 'status': {
          const [user, subs] = await Promise.all([
            store.users.get(tenant.workspaceId, tenant.userId),
            listSubscriptions(tenant.workspaceId),
          ]);
          return renderStatus({ user, ...subs, command: name });
        }
        case 'list':
          return renderSubscriptions({ ...(await listSubscriptions(tenant.workspaceId)), command: name });
        case 'subscribe': {
          const { repos, channel, filters } = command;
          return forEachRepo(
            repos,
            (repo) => subscriptions.subscribe({ tenant, repo, channel, ...(filters ? { filters } : {}) }),
            repoFailed(tenant, command.kind),
          );
        }
        case 'filter':
          return subscriptions.filter({ tenant, ...command });
        case 'unsubscribe': {
          const { repos, channel } = command;
          return forEachRepo(
            repos,
            (repo) => subscriptions.unsubscribe({ tenant, repo, ...(channel ? { channel } : {}) }),
            repoFailed(tenant, command.kind),
          );
        }
        case 'notifications':
          await store.users.setNotifications({ ...key(tenant), enabled: command.enabled, at: now() });
          return command.enabled
            ? 'Notifications are on: pull requests you open are announced (once you have linked GitHub and chosen a default channel).'
            : 'Notifications are off: pull requests you open are no longer announced automatically. Existing subscriptions keep posting.';
        case 'reviews':
          return choices.reviews(tenant, command.delivery);
        case 'news':
          return choices.news(tenant, command.enabled);
        case 'settings':
          return choices.settings(tenant, command);
        case 'digest':
          return digest.run(tenant, command);
      }
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
