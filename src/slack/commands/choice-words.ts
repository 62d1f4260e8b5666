import type { ReviewRequestDelivery } from '../../domain/user.js';

/** What each review-request choice means, as `reviews`, `status` and the Home tab say it. */
export const REVIEW_REQUEST_WORDS: Record<ReviewRequestDelivery, string> = {
  thread: "a mention in the pull request's thread",
  dm: 'a direct message',
  off: 'off',
};

/** What a channel's threads setting means, as `settings` says it. */
export const THREADS_ON =
  "a pull request's activity (reviews, review requests, ready for review, merge, close, reopen) is posted as replies in the thread of its message";
export const THREADS_OFF =
  "a pull request's activity stays in its message and its reactions; nothing is posted in its thread";
