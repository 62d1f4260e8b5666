import type { types } from '@slack/bolt';
import type { UserRecord } from '../../store/types.js';
import { noSubscriptions, subscriptionLines, type SubscriptionListing } from '../commands/render-status.js';
import { button, mrkdwn, section, type Block } from './block-kit.js';
import { HOME_ACTIONS } from './home-actions.js';
import { choiceSections } from './home-choices.js';

/** Slack allows 100 blocks in a Home tab. */
const MAX_SUBSCRIPTION_SECTIONS = 80;

/**
 * A person's Home tab (views.publish): their GitHub link with a link/unlink button, their default channel picker,
 * their choices (PRs they open announced, review requests, news about their PRs), and this workspace's
 * subscriptions with their channels and filters.
 * `notice` is the answer to the button they just pressed (the same text the command would reply).
 */
export function renderHomeView(input: {
  user: UserRecord | null;
  listing: SubscriptionListing;
  command: string;
  notice?: string;
}): types.HomeView {
  const { user, listing, command } = input;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'PR Notifier' } }];
  if (input.notice) blocks.push(section(input.notice));
  blocks.push({ type: 'divider' }, githubSection(user, command), channelSection(user), ...choiceSections(user));
  blocks.push({ type: 'divider' }, ...subscriptionSections(listing, command));
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`Everything here is also a command: \`${command} help\`.`)],
  });
  return { type: 'home', blocks };
}

function githubSection(user: UserRecord | null, command: string): Block {
  if (user?.verified && user.githubLogin) {
    return section(
      `*GitHub account:* @${user.githubLogin} (verified, GitHub id ${user.githubUserId ?? '?'})`,
      button({ text: 'Unlink', actionId: HOME_ACTIONS.unlink, style: 'danger' }),
    );
  }
  return section(
    `*GitHub account:* not linked. Link it so PRs you open are announced and you are mentioned (\`${command} link\`).`,
    button({ text: 'Link GitHub', actionId: HOME_ACTIONS.link, style: 'primary' }),
  );
}

function channelSection(user: UserRecord | null): Block {
  return section('*Your default channel:* where PRs you open in repos this workspace does not follow are announced', {
    type: 'conversations_select',
    action_id: HOME_ACTIONS.defaultChannel,
    placeholder: { type: 'plain_text', text: 'Pick a channel' },
    filter: { include: ['public', 'private'], exclude_bot_users: true },
    ...(user?.defaultChannel ? { initial_conversation: user.defaultChannel } : {}),
  });
}

/** A section per subscription, folded into a last line past Slack's block limit (never cut silently). */
function subscriptionSections(listing: SubscriptionListing, command: string): Block[] {
  const lines = subscriptionLines(listing);
  if (lines.length === 0) return [section(noSubscriptions(command))];
  const shown = lines.slice(0, MAX_SUBSCRIPTION_SECTIONS);
  const blocks = [section(`*Subscriptions in this workspace (${lines.length}):*`), ...shown.map((l) => section(l))];
  const more = lines.length - shown.length;
  if (more > 0) blocks.push(section(`…and ${more} more: \`${command} list\` shows them all.`));
  return blocks;
}
