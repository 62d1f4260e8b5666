import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { REVIEW_REQUEST_DELIVERIES } from '../../domain/user.js';
import { toRecord } from '../../shared/json-reader.js';
import type { Logger } from '../../log.js';
import type { UserStore } from '../../store/types.js';
import type { NotifyService } from '../commands/notify-service.js';
import type { NotifyCommand } from '../commands/parse-command.js';
import type { InFlight } from '../in-flight.js';
import { toWorkspaceId } from '../oauth/bolt-installation-store.js';
import { HOME_ACTIONS } from './home-actions.js';
import { renderHomeView } from './home-view.js';

/** The Events API events the Home tab listens to (the Slack app manifest lists them). */
export const HOME_EVENTS = ['app_home_opened'] as const;

interface HomeViewer {
  workspaceId: string;
  userId: string;
  botToken: string;
  botUserId: string | null;
}

/**
 * The App Home tab: published on `app_home_opened`, and again after each button or picker there, with the answer
 * the same `/notify` command would give (a button runs exactly that command: nothing needs App Home).
 */
export function registerHome(options: {
  app: App;
  slack: WebClient;
  service: NotifyService;
  users: UserStore;
  command: string;
  inFlight: InFlight;
  log: Logger;
}): void {
  const { app, slack, service, users, command, inFlight, log } = options;

  async function publish(viewer: HomeViewer, notice?: string): Promise<void> {
    const [user, listing] = await Promise.all([
      users.get(viewer.workspaceId, viewer.userId),
      service.listSubscriptions(viewer.workspaceId),
    ]);
    const view = renderHomeView({ user, listing, command, ...(notice ? { notice } : {}) });
    await slack.views.publish({ token: viewer.botToken, user_id: viewer.userId, view });
  }

  /** Runs after Bolt acknowledged; tracked so SIGTERM waits for it; a failure is logged, never thrown at Bolt. */
  function later(viewer: HomeViewer, what: string, work: () => Promise<void>): Promise<void> {
    const log1 = log.child({ team_id: viewer.workspaceId, slack_user_id: viewer.userId });
    return inFlight.track(work().catch((err: unknown) => log1.error({ err, what }, 'App Home update failed')));
  }

  app.event('app_home_opened', async ({ event, context }) => {
    const viewer = toViewer({ context, userId: event.user });
    if (event.tab !== 'home' || viewer === null) return;
    await later(viewer, 'app_home_opened', () => publish(viewer));
  });

  const runAction = (actionId: string, toCommand: (action: Record<string, unknown>) => NotifyCommand | null) =>
    app.action(actionId, async ({ ack, body, action, context }) => {
      await ack();
      const viewer = toViewer({ context, userId: body.user.id });
      const parsed = toCommand(toRecord(action));
      if (viewer === null || parsed === null) return;
      await later(viewer, actionId, async () => {
        const tenant = { ...viewer, channelId: '' };
        const notice = await service.run({ tenant, command: parsed }).catch((err: unknown) => {
          log.error({ err, team_id: viewer.workspaceId, action: actionId }, 'App Home action failed');
          return 'Something went wrong and nothing was changed. Please try again in a minute.';
        });
        await publish(viewer, notice);
      });
    });

  runAction(HOME_ACTIONS.link, () => ({ kind: 'link' }));
  runAction(HOME_ACTIONS.unlink, () => ({ kind: 'unlink' }));
  runAction(HOME_ACTIONS.notifications, (a) =>
    a['value'] === 'on' || a['value'] === 'off' ? { kind: 'notifications', enabled: a['value'] === 'on' } : null,
  );
  runAction(HOME_ACTIONS.authorNews, (a) =>
    a['value'] === 'on' || a['value'] === 'off' ? { kind: 'news', enabled: a['value'] === 'on' } : null,
  );
  runAction(HOME_ACTIONS.reviewRequests, (a) => {
    const value = toRecord(a['selected_option'])['value'];
    const delivery = REVIEW_REQUEST_DELIVERIES.find((d) => d === value);
    return delivery ? { kind: 'reviews', delivery } : null;
  });
  runAction(HOME_ACTIONS.defaultChannel, (a) => {
    const channel = a['selected_conversation'];
    return typeof channel === 'string' && channel !== ''
      ? { kind: 'channel', channel: { id: channel, name: null } }
      : null;
  });
}

/** Who is looking, from Bolt's verified context (never from the payload's own claims); null when not installed. */
function toViewer(input: {
  context: {
    teamId?: string;
    enterpriseId?: string;
    isEnterpriseInstall?: boolean;
    botToken?: string;
    botUserId?: string;
  };
  userId: string;
}): HomeViewer | null {
  const { context } = input;
  const workspaceId = toWorkspaceId({
    isEnterpriseInstall: context.isEnterpriseInstall,
    enterpriseId: context.enterpriseId,
    teamId: context.teamId,
  });
  if (workspaceId === null || !context.botToken) return null;
  return { workspaceId, userId: input.userId, botToken: context.botToken, botUserId: context.botUserId ?? null };
}
