/** The action ids of the Home tab's buttons and pickers; each runs the `/notify` command of the same choice. */
export const HOME_ACTIONS = {
  link: 'home_link',
  unlink: 'home_unlink',
  defaultChannel: 'home_default_channel',
  notifications: 'home_notifications',
  reviewRequests: 'home_review_requests',
  authorNews: 'home_author_news',
} as const;
