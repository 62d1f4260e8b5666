/**
 * Slack allows about one chat.postMessage per second per channel. A channel's posts are booked this far apart: the
 * margin absorbs the time between a post's slot being decided and Slack receiving it (a Firestore write, the HTTP
 * call), which varies with load; a post that still lands too early is answered ratelimited and waits.
 */
export const POST_INTERVAL_MS = 1_250;
