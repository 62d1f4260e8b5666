import { createPrNumbers, openedDelivery, timeDelivery } from './deliveries.js';
import type { PostCounter } from './slack-posts.js';
import { whenTrue } from './slack-posts.js';
import { round, summarize, type Summary } from './stats.js';
import { repoFor, type BenchWorld } from './world.js';

export interface IngressResult {
  fanOut: number;
  latency: Summary;
  /** Deliveries not answered 202 (or not at all within 10 s). */
  failures: number;
  /** From the first delivery until every workspace has every message: the backlog these deliveries made. */
  drainedMs: number | null;
}

/**
 * Time to the webhook's response for `deliveries` back-to-back new PRs on a repo with `fanOut` workspaces.
 * The fan-out of earlier deliveries runs meanwhile, so this is ingress under its own load, as in production.
 */
export async function measureIngress(
  w: BenchWorld,
  o: { fanOut: number; deliveries: number; counter: PostCounter; nextPr: ReturnType<typeof createPrNumbers>; drainTimeoutMs: number },
): Promise<IngressResult> {
  const repo = repoFor(o.fanOut);
  const samples: number[] = [];
  const prs: number[] = [];
  let failures = 0;
  const started = performance.now();
  for (let i = 0; i < o.deliveries; i++) {
    const pr = o.nextPr();
    prs.push(pr);
    const r = await timeDelivery(w.t, openedDelivery(repo, pr));
    samples.push(r.ms);
    if (r.status !== 202) failures++;
  }
  // Wait for the backlog before the next stage, so one stage's fan-out never inflates the next one's figures.
  const drained = await whenTrue(() => prs.every((pr) => o.counter.posts(repo, pr) >= o.fanOut), o.drainTimeoutMs, 20);
  return { fanOut: o.fanOut, latency: summarize(samples), failures, drainedMs: drained === null ? null : round(drained - started, 0) };
}
