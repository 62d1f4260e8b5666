import type { types } from '@slack/bolt';
import { REVIEW_REQUEST_DELIVERIES, type ReviewRequestDelivery } from '../../domain/user.js';
import type { UserRecord } from '../../store/types.js';
import { button, section, type Block } from './block-kit.js';
import { HOME_ACTIONS } from './home-actions.js';

/** The picker's labels: short, as Slack shows them in a menu. */
const REVIEW_REQUEST_LABELS: Record<ReviewRequestDelivery, string> = {
  thread: "In the PR's thread",
  dm: 'Direct message',
  off: 'Off',
};

const reviewOption = (delivery: ReviewRequestDelivery): types.PlainTextOption => ({
  text: { type: 'plain_text', text: REVIEW_REQUEST_LABELS[delivery] },
  value: delivery,
});

/** The person's own choices, each with the control that runs the command of the same choice. */
export function choiceSections(user: UserRecord | null): Block[] {
  const announce = user?.notificationsEnabled !== false;
  const reviews = user?.reviewRequests ?? 'thread';
  const news = user?.authorNews !== false;
  return [
    section(
      `*Announce PRs you open:* ${announce ? 'on' : 'off'}`,
      button({
        text: announce ? 'Turn off' : 'Turn on',
        actionId: HOME_ACTIONS.notifications,
        value: announce ? 'off' : 'on',
      }),
    ),
    section(`*Review requests:* how you hear that someone asked for your review`, {
      type: 'static_select',
      action_id: HOME_ACTIONS.reviewRequests,
      placeholder: { type: 'plain_text', text: 'Choose' },
      options: REVIEW_REQUEST_DELIVERIES.map(reviewOption),
      initial_option: reviewOption(reviews),
    }),
    section(
      `*News about your PRs:* ${news ? 'on' : 'off'} (a direct message when one you opened is approved, gets changes requested or is merged)`,
      button({ text: news ? 'Turn off' : 'Turn on', actionId: HOME_ACTIONS.authorNews, value: news ? 'off' : 'on' }),
    ),
  ];
}
