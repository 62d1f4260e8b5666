import { openedDelivery, sendDeliveries, type PrNumbers } from './deliveries.js';
import { summarize, type Summary } from './stats.js';
import { repoFor, type BenchWorld } from './world.js';

export interface IngressResult {
  fanOut: number;
  latency: Summary;
  /** Deliveries not answered 202 (or not at all within 10 s, or not sent within the stage's budget). */
  failures: number;
  /** The PRs sent, so the caller can wait for their posts. */
  prs: number[];
}

/**
 * Time to the webhook's response for `deliveries` new PRs sent one after the other on a repo with `fanOut`
 * workspaces. The fan-out of earlier deliveries (and earlier stages) runs meanwhile: ingress under load.
 */
export async function measureIngress(
  w: BenchWorld,
  o: { fanOut: number; deliveries: number; budgetMs: number; nextPr: PrNumbers },
): Promise<IngressResult> {
  const repo = repoFor(o.fanOut);
  const prs = Array.from({ length: o.deliveries }, () => o.nextPr());
  const results = await sendDeliveries(
    w.t,
    prs.map((pr) => openedDelivery(repo, pr)),
    { senders: 1, budgetMs: o.budgetMs },
  );
  const answered = results.filter((r) => r.status !== 0);
  return {
    fanOut: o.fanOut,
    latency: summarize(answered.map((r) => r.ms)),
    failures: results.filter((r) => r.status !== 202).length,
    prs,
  };
}
