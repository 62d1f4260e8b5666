import { openedDelivery, timeDelivery, type PrNumbers } from './deliveries.js';
import type { PostCounter } from './slack-posts.js';
import { round, summarize, type Summary } from './stats.js';
import { repoFor, type BenchWorld } from './world.js';
import { whenTrue } from './when-true.js';

export interface FanOutResult {
  fanOut: number;
  /** Delivery sent → the last workspace's chat.postMessage seen by the fake Slack (5 ms polling). */
  completion: Summary;
  /** Runs where not every workspace got its post within the timeout. */
  incomplete: number;
}

const PACING_GAP_MS = 1_100;

/** One delivery at a time on an idle app: how long until every subscribed workspace has been posted to. */
export async function measureFanOut(
  w: BenchWorld,
  o: { fanOut: number; runs: number; counter: PostCounter; nextPr: PrNumbers; timeoutMs: number },
): Promise<FanOutResult> {
  const repo = repoFor(o.fanOut);
  const samples: number[] = [];
  let incomplete = 0;
  for (let i = 0; i < o.runs; i++) {
    // Posts are paced at one a second per channel: leave that second so the previous run never delays this one.
    await new Promise((resolve) => setTimeout(resolve, PACING_GAP_MS));
    const pr = o.nextPr();
    const started = performance.now();
    const sent = await timeDelivery(w.t, openedDelivery(repo, pr));
    const done = sent.status === 202 ? await whenTrue(() => o.counter.posts(repo, pr) >= o.fanOut, o.timeoutMs) : null;
    if (done === null) incomplete++;
    else samples.push(round(done - started, 0));
  }
  return { fanOut: o.fanOut, completion: summarize(samples), incomplete };
}
