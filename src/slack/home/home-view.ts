import type { types } from '@slack/bolt';
import type { UserRecord } from '../../store/types.js';
import { noSubscriptions, subscriptionLines, type SubscriptionListing } from '../commands/render-status.js';

/** The action ids of the Home tab's buttons and picker; each runs the `/notify` command of the same choice. */
export const HOME_ACTIONS = {
  link: 'home_link',
  unlink: 'home_unlink',
  defaultChannel: 'home_default_channel',
  notifications: 'home_notifications',
} as const;

/** Slack's limits: 100 blocks in a Home tab, 3,000 characters of section text. */
const MAX_SECTION_TEXT = 3_000;
const MAX_SUBSCRIPTION_SECTIONS = 80;

type Block = types.KnownBlock;

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text: clip(text) });
const section = (text: string, accessory?: types.SectionBlockAccessory): types.SectionBlock => ({
  type: 'section',
  text: mrkdwn(text),
  ...(accessory ? { accessory } : {}),
});
const button = (o: { text: string; actionId: string; value?: string; style?: 'primary' | 'danger' }): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text: o.text },
  action_id: o.actionId,
  ...(o.value ? { value: o.value } : {}),
  ...(o.style ? { style: o.style } : {}),
});

function clip(text: string): string {
  return text.length <= MAX_SECTION_TEXT ? text : `${text.slice(0, MAX_SECTION_TEXT - 1)}…`;
}

/**
 * A person's Home tab (views.publish): their GitHub link with a link/unlink button, their default channel picker,
 * whether PRs they open are announced, and this workspace's subscriptions with their channels and filters.
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
  blocks.push({ type: 'divider' }, githubSection(user, command), channelSection(user), notificationsSection(user));
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

function notificationsSection(user: UserRecord | null): Block {
  const on = user?.notificationsEnabled !== false;
  return section(
    `*Announce PRs you open:* ${on ? 'on' : 'off'}`,
    button({ text: on ? 'Turn off' : 'Turn on', actionId: HOME_ACTIONS.notifications, value: on ? 'off' : 'on' }),
  );
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
