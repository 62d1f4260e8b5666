import type { Firestore } from '@google-cloud/firestore';
import { openedDelivery, sendDeliveries, timeDelivery, type PrNumbers } from './deliveries.js';
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
  const times: number[] = [];
  const floors: number[] = [];
  let failures = 0;
  let next = 0;
  let sent = 0;
  const deadline = performance.now() + o.budgetMs;
  const sender = async () => {
    for (let i = next++; i < o.samples && performance.now() < deadline; i = next++) {
      const delivery = await timeDelivery(w.t, openedDelivery(soloRepo(i % w.teams.length), o.nextPr()));
      sent += 1;
      if (delivery.status !== 202) failures += 1;
      if (delivery.status !== 0) times.push(delivery.ms);
      floors.push(...(await bareBatchWrite(o.db, { samples: 1, concurrency: 1 })));
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, sender));
  return {
    concurrency: o.concurrency,
    latency: summarize(times),
    floor: summarize(floors),
    failures,
    unsent: o.samples - sent,
    backgroundCalls: totalCalls(o.slack) - callsBefore,
  };
}

const totalCalls = (slack: SlackMeter) => Object.values(slack.byMethod()).reduce((n, m) => n + m.calls, 0);
