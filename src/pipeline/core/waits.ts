import { PostWait } from './post-once.js';
import { SlackCallError, type WaitRequest } from '../ports.js';

/**
 * The failures that are waits for the queue, not errors: a post that must wait (its claim, its channel's slot), and
 * Slack's rate limit. Retry-After is per workspace and method: only this job waits, a little spread so its siblings
 * don't stampede. Null for anything else.
 */
export function toWaitRequest(err: unknown, now: Date): WaitRequest | null {
  if (err instanceof PostWait) return { wait: { until: err.until, reason: err.reason } };
  if (err instanceof SlackCallError && err.kind === 'rate_limited') {
    const until = new Date(now.getTime() + (err.retryAfterMs ?? 1_000) + Math.round(Math.random() * 500));
    return { wait: { until, reason: 'slack_rate_limited' } };
  }
  return null;
}
