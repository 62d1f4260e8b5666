import type { Firestore } from '@google-cloud/firestore';
import { openedDelivery, sendDeliveries, type PrNumbers } from './deliveries.js';
import { bareBatchWrite } from './floors.js';
import type { SlackMeter } from './slack-meter.js';
import { summarize, type Summary } from './stats.js';
import { soloRepo, type BenchWorld } from './world.js';

export interface IngressResult {
  concurrency: number;
  /** Time to the webhook's response. */
  latency: Summary;
  /** The floor: a bare batch write of the delivery and its job, at the same concurrency, in the same conditions. */
  floor: Summary;
  /** Deliveries not answered 202 (or not at all within 10 s, GitHub's own timeout). */
  failures: number;
  /** Deliveries not sent because the level's time budget ran out (the app answered too slowly). */
  unsent: number;
  /** Slack calls the app made while this level ran: the background work was really running. */
  backgroundCalls: number;
}

/**
 * Time to the webhook's response for `samples` new PRs sent `concurrency` at a time, each to a workspace's solo repo,
 * while the worker posts the fan-out of `background` deliveries to `backgroundRepo` sent just before (and the
 * posts of the measured deliveries themselves): ingress under load, next to a bare batch write under the same load.
 * Each sender alternates a delivery and a bare batch write, so the floor meets the same background work at the same
 * moments, the fan-outs of the deliveries just answered included.
 */
export async function measureIngress(
  w: BenchWorld,
  o: {
    concurrency: number;
    samples: number;
    background: number;
    backgroundRepo: string;
    budgetMs: number;
    db: Firestore;
    slack: SlackMeter;
    nextPr: PrNumbers;
  },
): Promise<IngressResult> {
  const callsBefore = totalCalls(o.slack);
  // The background: deliveries whose fan-out the worker works off while the level is measured.
  await sendDeliveries(
    w.t,
    Array.from({ length: o.background }, () => openedDelivery(o.backgroundRepo, o.nextPr())),
    { senders: 4, budgetMs: o.budgetMs },
  );
  const floors: number[] = [];
  const results = await sendDeliveries(
    w.t,
    Array.from({ length: o.samples }, (_, i) => openedDelivery(soloRepo(i % w.teams.length), o.nextPr())),
    {
      senders: o.concurrency,
      budgetMs: o.budgetMs,
      between: async () => void floors.push(...(await bareBatchWrite(o.db, { samples: 1, concurrency: 1 }))),
    },
  );
  const sent = results.filter((r) => !Number.isNaN(r.ms));
  return {
    concurrency: o.concurrency,
    latency: summarize(results.filter((r) => r.status !== 0).map((r) => r.ms)),
    floor: summarize(floors),
    failures: sent.filter((r) => r.status !== 202).length,
    unsent: results.length - sent.length,
    backgroundCalls: totalCalls(o.slack) - callsBefore,
  };
}

const totalCalls = (slack: SlackMeter) => Object.values(slack.byMethod()).reduce((n, m) => n + m.calls, 0);
