import type { LogPort, PipelinePorts } from '../ports.js';
import { escapeMrkdwn } from '../../shared/mrkdwn.js';
import type { RenderedMessage } from './render-message.js';
import type { Subscription } from '../../domain/subscription.js';

/** Why posting stopped, and what the subscriber can do about it, per permanent channel error or lost access proof. */
const REASONS: Record<string, { why: string; fix: string }> = {
  channel_not_found: { why: 'the channel no longer exists (or I can no longer see it)', fix: 'Pick another channel' },
  is_archived: { why: 'the channel was archived', fix: 'Unarchive it or pick another channel' },
  not_in_channel: {
    why: 'I am no longer a member of the channel',
    fix: 'Invite me back (`/invite`) or pick another channel',
  },
  repo_private: {
    why: 'GitHub says the repository is private now, and this subscription was only checked as a public repository',
    fix: 'Someone who can see the repository should link their GitHub account (`/notify link`) so I can check their access',
  },
};

/** The DM to the person who subscribed: which repo stopped posting where, and the command that fixes it. Pure. */
export function renderSuspensionNotice(options: {
  repoFullName: string;
  channelId: string;
  reason: string;
}): RenderedMessage {
  const repo = escapeMrkdwn(options.repoFullName);
  const { why, fix } = REASONS[options.reason] ?? {
    why: `Slack answered \`${escapeMrkdwn(options.reason)}\``,
    fix: 'Pick a channel I can post to',
  };
  const text =
    `I stopped posting pull requests from *${repo}* to <#${options.channelId}>: ${why}. ` +
    `${fix}, then run \`/notify subscribe ${repo} #channel\` to start again.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * Best effort: tells the subscription's creator (not for `auto` subscriptions) in a DM. A failure is logged and
 * dropped, never retried: the subscription is already disabled and audit-logged, and the job must finish.
 */
export async function tellSubscriber(options: {
  ports: Pick<PipelinePorts, 'slack'>;
  token: string;
  subscription: Subscription;
  reason: string;
  log: LogPort;
}): Promise<void> {
  const { subscription, log } = options;
  if (subscription.createdBy === 'auto') return;
  const notice = renderSuspensionNotice({
    repoFullName: subscription.repoFullName,
    channelId: subscription.channelId,
    reason: options.reason,
  });
  try {
    await options.ports.slack.postMessage({ token: options.token, channel: subscription.createdBy, ...notice });
    log.info({ user: subscription.createdBy, reason: options.reason }, 'subscriber told that the subscription stopped');
  } catch (err) {
    const code = err instanceof Error ? err.message : String(err);
    log.warn({ user: subscription.createdBy, problem: code }, 'could not tell the subscriber; not retried');
  }
}
