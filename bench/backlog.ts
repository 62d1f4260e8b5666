import { allPosted, postedCount, type PostBatch, type PostCounter } from './slack-posts.js';
import { round } from './stats.js';

export interface BacklogResult {
  /** Posts the ingress deliveries asked for (deliveries × fan-out). */
  posts: number;
  /** How many had reached Slack when the bench stopped watching. */
  posted: number;
  drained: boolean;
  seconds: number;
  postsPerSecond: number;
}

/**
 * Watches the ingress stages' posts reach Slack, for at most `watchMs`: the pipeline's throughput under a full
 * queue (paced at one post a second per channel). Bounded so the run stays short: what is left is reported.
 */
export async function watchBacklog(
  counter: PostCounter,
  o: { batches: readonly PostBatch[]; since: number; watchMs: number },
): Promise<BacklogResult> {
  const posts = o.batches.reduce((n, b) => n + b.prs.length * b.fanOut, 0);
  const drainedAt = await allPosted(counter, o.batches, o.watchMs);
  const seconds = ((drainedAt ?? performance.now()) - o.since) / 1000;
  const posted = postedCount(counter, o.batches);
  return {
    posts,
    posted,
    drained: drainedAt !== null,
    seconds: round(seconds),
    postsPerSecond: round(posted / seconds),
  };
}
