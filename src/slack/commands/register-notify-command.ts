import type { App } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { InFlight } from '../in-flight.js';
import { toWorkspaceId } from '../oauth/bolt-installation-store.js';
import type { NotifyService } from './notify-service.js';
import { parseCommand } from './parse-command.js';
import { replyParts } from './reply-parts.js';

/**
 * `/notify`: ack at once (Slack allows 3 s), then answer ephemerally through the response_url. The tenant
 * comes from Bolt's verified context; the command text only chooses the subcommand.
 */
export function registerNotifyCommand(options: {
  app: App;
  name: string;
  service: NotifyService;
  inFlight: InFlight;
  log: Logger;
}): void {
  const { app, name, service, inFlight, log } = options;
  app.command(name, async ({ command, ack, respond, context }) => {
    await ack();
    const workspaceId = toWorkspaceId({
      isEnterpriseInstall: context.isEnterpriseInstall,
      enterpriseId: context.enterpriseId,
      teamId: context.teamId ?? command.team_id,
    });
    const log1 = log.child({ team_id: workspaceId, slack_user_id: command.user_id });
    const parsed = parseCommand(command.text ?? '', name);
    const reply = async (): Promise<string> => {
      if (workspaceId === null || !context.botToken)
        return 'PR Notifier is not installed in this workspace. Ask an admin to add it to Slack again.';
      return service.run({
        tenant: {
          workspaceId,
          userId: command.user_id,
          channelId: command.channel_id,
          botToken: context.botToken,
          botUserId: context.botUserId ?? null,
        },
        command: parsed,
      });
    };
    await inFlight.track(
      reply()
        .catch((err: unknown) => {
          log1.error({ err, subcommand: parsed.kind }, `${name} failed`);
          return 'Something went wrong (Slack or GitHub did not answer as expected) and nothing was changed. Please try again in a minute.';
        })
        .then(async (text) => {
          // In order, one after the other: a long list goes on in the next message.
          for (const part of replyParts(text))
            await respond({ response_type: 'ephemeral', replace_original: false, text: part });
        })
        .then(() => log1.info({ subcommand: parsed.kind }, `${name} answered`))
        .catch((err: unknown) => log1.warn({ err }, `${name} reply could not be delivered`)),
    );
  });
}
