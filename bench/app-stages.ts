import type { PrNumbers } from './deliveries.js';
import { measureFanOut, type FanOutResult } from './fan-out.js';
import type { FirestoreMeter } from './firestore-meter.js';
import { POST_INTERVAL_MS } from '../src/pipeline/core/pacing.js';
import { firestoreRoundTrip, postsAtOnce, slackPost } from './floors.js';
import { measureIngress, type IngressResult } from './ingress.js';
import type { BenchPlan } from './plan.js';
import { measurePrLife } from './pr-life.js';
import type { BenchResults } from './report.js';
import { meterSlack } from './slack-meter.js';
import { round } from './stats.js';
import { channelFor, createBenchWorld, repoFor } from './world.js';

/** The fan-out whose posting alone is measured. */
const POSTING_ALONE = 100;

type Stage = <T>(name: string, run: () => Promise<T>, fallback: T) => Promise<T>;

/** The stages run against the whole app in this process (createTestApp): floors, PR life, fan-out, ingress. */
export async function runAppStages(o: {
  plan: BenchPlan;
  emulatorHost: string;
  firestore: FirestoreMeter;
  nextPr: PrNumbers;
  stage: Stage;
  progress: (message: string) => void;
}): Promise<Pick<BenchResults, 'floors' | 'ingress' | 'fanOut' | 'prLife' | 'prLifeFirst'>> {
  const { plan, stage } = o;
  o.progress(`seeding ${plan.workspaces} workspaces`);
  const w = await createBenchWorld({
    emulatorHost: o.emulatorHost,
    workspaces: plan.workspaces,
    shared: [
      ...plan.fanOut.sizes.map((n) => ({ repo: repoFor(n), workspaces: n })),
      { repo: plan.prLife.repo, workspaces: plan.prLife.workspaces },
    ],
    progress: (done) => done % 256 === 0 && o.progress(`  ${done} workspaces`),
  });
  try {
    const slack = meterSlack(w.t.slack, { latencyMs: plan.slackLatencyMs });
    const db = w.t.deps.db;
    const floorTeam = w.teams[0];
    const floorChannel = 'CBENCHFLOOR';
    if (floorTeam)
      w.t.slack.addChannel(floorTeam.workspaceId, {
        id: floorChannel,
        name: 'floor',
        isPrivate: false,
        botIsMember: true,
      });
    const firestoreRt = await firestoreRoundTrip(db, plan.floorSamples);
    const post = await slackPost(w.t.slack, {
      token: floorTeam?.botToken ?? '',
      channel: floorChannel,
      samples: plan.floorSamples,
    });
    // The 100-workspace fan-out's own channels, so the same number of channels and tokens is in play.
    const hundred = w.teams
      .slice(0, POSTING_ALONE)
      .map((team) => ({ token: team.botToken, channel: channelFor(team.workspaceId, repoFor(POSTING_ALONE)) }));
    const postingAlone = await postsAtOnce(w.t.deps.messenger, {
      targets: hundred,
      samples: plan.fanOut.runs(POSTING_ALONE),
      pauseMs: POST_INTERVAL_MS,
    });
    const floors = {
      firestoreRoundTrip: firestoreRt,
      slackPost: post,
      fanOutMs: round(firestoreRt.p50 + post.p50),
      slackLatencyMs: plan.slackLatencyMs,
      postingAlone: { posts: hundred.length, ms: postingAlone },
    };
    // Twice: the first PR after the start meets an instance that has nothing in memory yet; the second is what every
    // later PR of these workspaces costs while the instance runs.
    const lifeOf = (name: string) =>
      stage(
        `PR life on ${plan.prLife.workspaces} workspaces (${name})`,
        () => measurePrLife(w, { ...plan.prLife, pr: o.nextPr(), firestore: o.firestore, slack }),
        null,
      );
    const prLifeFirst = await lifeOf('the first after the start');
    const prLife = await lifeOf('a later PR');
    const fanOut: FanOutResult[] = [];
    for (const n of plan.fanOut.sizes) {
      const r = await stage(
        `fan-out to ${n} workspaces`,
        () =>
          measureFanOut(w, {
            fanOut: n,
            runs: plan.fanOut.runs(n),
            timeoutMs: plan.fanOut.timeoutMs,
            nextPr: o.nextPr,
            slack,
            firestore: o.firestore,
          }),
        null,
      );
      if (r) fanOut.push(r);
    }
    const ingress: IngressResult[] = [];
    for (const level of plan.ingress.levels) {
      const r = await stage(
        `ingress at concurrency ${level.concurrency}`,
        () =>
          measureIngress(w, {
            ...level,
            background: plan.ingress.background,
            backgroundRepo: repoFor(100),
            budgetMs: plan.ingress.budgetMs,
            db,
            slack,
            nextPr: o.nextPr,
          }),
        null,
      );
      if (r) ingress.push(r);
    }
    return { floors, prLifeFirst, prLife, fanOut, ingress };
  } finally {
    await w.t.close();
  }
}
