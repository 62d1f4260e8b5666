import type { ChannelAccess } from '../slack/commands/channel-access.js';
import type { DigestCommand } from '../slack/commands/parse-digest.js';
import type { Tenant } from '../slack/commands/tenant.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { AuditLog } from '../store/types.js';
import type { SlackMessenger } from '../pipeline/ports.js';
import { buildDigest, type BuildDigestDeps } from './build-digest.js';
import { DEFAULT_THRESHOLD_HOURS, describeDays, describeThreshold, type DigestConfig } from './digest-config.js';
import type { DigestStore } from './digest-ports.js';
import { scheduleDigest } from './digest-job.js';
import { postDigestParts } from './send-digest.js';

export interface DigestServiceDeps extends BuildDigestDeps {
  digests: DigestStore;
  channels: ChannelAccess;
  queue: JobQueue;
  slack: Pick<SlackMessenger, 'postMessage'>;
  audit: Pick<AuditLog, 'record'>;
  command: string;
  now: () => Date;
}

const describe = (c: DigestConfig) =>
  `${describeDays(c.days)} at ${c.time} (${c.timeZone}), pull requests waiting more than ${describeThreshold(c.thresholdHours)}`;

/** `/notify digest`: set, turn off, send now or show a channel's digest. Every change is audit-logged by the store. */
export function createDigestService(deps: DigestServiceDeps) {
  const { digests, channels, command, now } = deps;
  const channelOf = (tenant: Tenant, cmd: DigestCommand, post: boolean) => {
    const target = { token: tenant.botToken, channel: cmd.channel, botUserId: tenant.botUserId };
    return post ? channels.ensurePostable(target) : channels.ensureVisible(target);
  };

  return {
    async run(tenant: Tenant, cmd: DigestCommand): Promise<string> {
      const check = await channelOf(tenant, cmd, cmd.action === 'set' || cmd.action === 'now');
      if (!check.ok) return check.message;
      const { channelId } = check;
      const current = await digests.get(tenant.workspaceId, channelId);
      switch (cmd.action) {
        case 'set': {
          const config: DigestConfig = {
            workspaceId: tenant.workspaceId,
            channelId,
            enabled: true,
            time: cmd.time,
            timeZone: cmd.timeZone,
            days: cmd.days,
            thresholdHours: cmd.thresholdHours,
            updatedBy: tenant.userId,
            updatedAt: now(),
          };
          await digests.save(config);
          const next = await scheduleDigest({ queue: deps.queue, config, after: config.updatedAt });
          return `The digest of <#${channelId}> is on: ${describe(config)}. The next one is due <!date^${Math.floor(next.getTime() / 1000)}^{date_short_pretty} at {time}|${next.toISOString()}>.`;
        }
        case 'off': {
          if (!current?.enabled) return `<#${channelId}> has no digest turned on.`;
          await digests.save({ ...current, enabled: false, updatedBy: tenant.userId, updatedAt: now() });
          return `The digest of <#${channelId}> is off. \`${command} digest #channel now\` still sends one when you ask.`;
        }
        case 'show':
          return current?.enabled
            ? `The digest of <#${channelId}>: ${describe(current)}.`
            : `<#${channelId}> has no digest turned on. Set one with \`${command} digest #channel 09:30 Europe/Berlin weekdays\`.`;
        case 'now': {
          const thresholdHours = current?.thresholdHours ?? DEFAULT_THRESHOLD_HOURS;
          const digest = await buildDigest(deps, {
            workspaceId: tenant.workspaceId,
            channelId,
            thresholdHours,
            now: now(),
          });
          const threshold = describeThreshold(thresholdHours);
          if (digest.prs === 0)
            return `Nothing in <#${channelId}> has waited more than ${threshold} for review: no digest posted.`;
          const sent = await postDigestParts({
            slack: deps.slack,
            token: tenant.botToken,
            channelId,
            parts: digest.parts,
          });
          await deps.audit.record({
            workspaceId: tenant.workspaceId,
            actor: tenant.userId,
            action: 'digest.now',
            target: channelId,
            at: now(),
            details: { prs: digest.prs, parts: sent.partsDone },
          });
          return `Posted the digest in <#${channelId}>: ${digest.prs} pull request${digest.prs === 1 ? '' : 's'} waiting more than ${threshold}${sent.partsDone > 1 ? ` (${sent.partsDone} messages, the rest in the thread)` : ''}.`;
        }
      }
    },
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
