import { POST_INTERVAL_MS } from '../src/pipeline/core/pacing.js';
import { openedDelivery, timeDelivery, type PrNumbers } from './deliveries.js';
import { tallySince, type FirestoreMeter, type FirestoreTally } from './firestore-meter.js';
import { ownCpuSeconds } from './process-cpu.js';
import { callsSince, type SlackMeter } from './slack-meter.js';
import { round, summarize, type Summary } from './stats.js';
import { repoFor, type BenchWorld } from './world.js';
import { whenTrue } from './when-true.js';

export interface FanOutResult {
  fanOut: number;
  /** The webhook's 2xx → the last workspace's chat.postMessage answered by the fake Slack. */
  completion: Summary;
  /** Runs where not every workspace got its post within the timeout. */
  incomplete: number;
  /** Of the last incomplete run: how many workspaces had their post when the wait ended. */
  postedAtTimeout: number | null;
  /** The most chat.postMessage in flight at once during these runs. */
  maxInFlight: number;
  /** Of the last complete run: what the app asked of Firestore and Slack, and the wall time. */
  lastRun: {
    /** Posts made in this run (fewer than fanOut when it timed out). */
    posted: number;
    wallMs: number;
    firestore: FirestoreTally;
    slack: Record<string, { calls: number; ms: number }>;
    /**
     * From the delivery sent to the last post: how busy this process's event loop was (0-1) and the CPU it used
     * (the app, the fake Slack and the bench share it), so a CPU-bound run shows as one.
     */
    process: { eventLoopBusy: number; cpuMs: number };
  } | null;
}

/** After the last post, the reconcile jobs still record their outcome: their operations belong to the fan-out. */
const SETTLE_MS = 1_500;

/** One delivery at a time: how long from the webhook's answer until every subscribed workspace has its message. */
export async function measureFanOut(
  w: BenchWorld,
  o: {
    fanOut: number;
    runs: number;
    timeoutMs: number;
    nextPr: PrNumbers;
    slack: SlackMeter;
    firestore: FirestoreMeter;
  },
): Promise<FanOutResult> {
  const repo = repoFor(o.fanOut);
  const samples: number[] = [];
  let incomplete = 0;
  let lastRun: FanOutResult['lastRun'] = null;
  let postedAtTimeout: number | null = null;
  o.slack.resetMaxInFlight();
  for (let i = 0; i < o.runs; i++) {
    // Posts are paced at one a second per channel: leave that second so the previous run never delays this one.
    await new Promise((resolve) => setTimeout(resolve, POST_INTERVAL_MS));
    const pr = o.nextPr();
    const fsBefore = o.firestore.read();
    const slackBefore = o.slack.byMethod();
    const loopBefore = performance.eventLoopUtilization();
    const cpuBefore = ownCpuSeconds();
    const sent = await timeDelivery(w.t, openedDelivery(repo, pr));
    const answeredAt = performance.now();
    const done =
      sent.status === 202 ? await whenTrue(() => o.slack.posts(repo, pr) >= o.fanOut, o.timeoutMs, 10) : null;
    const lastPost = o.slack.lastPostAt(repo, pr);
    const loop = performance.eventLoopUtilization(loopBefore);
    const cpuSeconds = ownCpuSeconds() - cpuBefore;
    if (done === null || lastPost === undefined) {
      incomplete++;
      postedAtTimeout = o.slack.posts(repo, pr);
    } else {
      samples.push(round(lastPost - answeredAt, 0));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
    // An incomplete run is broken down too: up to where the wait ended.
    lastRun = {
      posted: o.slack.posts(repo, pr),
      wallMs: round((done === null ? performance.now() : (lastPost ?? answeredAt)) - answeredAt + sent.ms, 0),
      firestore: tallySince(fsBefore, o.firestore.read()),
      process: { eventLoopBusy: round(loop.utilization), cpuMs: round(cpuSeconds * 1000, 0) },
      slack: callsSince(slackBefore, o.slack.byMethod()),
    };
  }
  return {
    fanOut: o.fanOut,
    completion: summarize(samples),
    incomplete,
    postedAtTimeout,
    maxInFlight: o.slack.maxInFlight(),
    lastRun,
  };
}
