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

/** Ingress and floor take turns in this many slices, so both see the same background work. */
const SLICES = 4;

/**
 * Time to the webhook's response for `samples` new PRs sent `concurrency` at a time, each to a workspace's solo repo,
 * while the worker posts the fan-out of `background` deliveries to `backgroundRepo` sent just before (and the
 * posts of the measured deliveries themselves): ingress under load, next to a bare batch write under the same load.
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
  let unsent = 0;
  let next = 0;
  for (let slice = 0; slice < SLICES; slice++) {
    const count = Math.ceil(o.samples / SLICES);
    const list = Array.from({ length: count }, () => openedDelivery(soloRepo(next++ % w.teams.length), o.nextPr()));
    const results = await sendDeliveries(w.t, list, { senders: o.concurrency, budgetMs: o.budgetMs / SLICES });
    const sent = results.filter((r) => !Number.isNaN(r.ms));
    unsent += results.length - sent.length;
    failures += sent.filter((r) => r.status !== 202).length;
    times.push(...results.filter((r) => r.status !== 0).map((r) => r.ms));
    const floor = await bareBatchWrite(o.db, { samples: count, concurrency: o.concurrency });
    floors.push(...floor);
  }
  return {
    concurrency: o.concurrency,
    latency: summarize(times),
    floor: summarize(floors),
    failures,
    unsent,
    backgroundCalls: totalCalls(o.slack) - callsBefore,
  };
}

const totalCalls = (slack: SlackMeter) => Object.values(slack.byMethod()).reduce((n, m) => n + m.calls, 0);
