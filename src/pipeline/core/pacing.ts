/**
 * Slack allows about one chat.postMessage per second per channel. A channel's posts are booked this far apart: the
 * margin absorbs the time between a post's slot being decided and Slack receiving it (a Firestore write, the HTTP
 * call), which varies with load; a post that still lands too early is answered ratelimited and waits.
 */
export const POST_INTERVAL_MS = 1_250;

/**
 * A post whose slot is at most this far ahead waits for it in its own run: one interval, so the next post of a burst
 * (a review's reply right after the PR's message) needs no trip through the queue.
 */
export const POST_HOLD_MS = POST_INTERVAL_MS;

/**
 * A post told to come back for a later slot comes back this much before it (at most POST_HOLD_MS) and waits the rest
 * in its run: the queue's wake-up, the claim and the run's reads happen before the slot instead of delaying the post,
 * and with it every later post in the channel (each is paced from the one before).
 */
export const POST_RETURN_EARLY_MS = 1_000;
