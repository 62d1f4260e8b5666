import { Timestamp } from '@google-cloud/firestore';
import { COLLECTIONS } from '../../../src/store/ids.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { deadJobs } from '../support/dead-jobs.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { waitUntil } from '../support/wait-until.js';

export interface OutageResult {
  /** Simulated time Slack answered 5xx, and the time the test clock moved in all. */
  outageMs: number;
  simulatedMs: number;
  /** Slack calls of the least-tried workspace during the outage (each one refused). */
  fewestTries: number;
  deadAfterOutage: string[];
  deadAtEnd: string[];
  /** Simulated time from the outage's end until every channel showed its message (null: never). */
  postedAfterMs: number | null;
  posted: Tally;
  final: Tally;
  /** Jobs not done at the end. */
  unfinished: string[];
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * A day-long Slack outage on a simulated clock: the whole app in this process (createTestApp with a manual `now`),
 * every Slack call of `channels` workspaces answered 503 for `outageMs` of simulated time. The clock moves in
 * `stepMs` steps (at least the queue's backoff cap, so every failing job is due at each step) and the queue is
 * woken after each. Then the PR is merged.
 */
export async function runDayLongOutage(options: {
  channels: number;
  outageMs: number;
  stepMs: number;
  repo: string;
  pr: number;
  teamPrefix: string;
  emulatorHost?: string;
}): Promise<OutageResult> {
  const clock = createManualClock();
  const t = await createTestApp({
    now: () => clock.now(),
    ...(options.emulatorHost ? { emulatorHost: options.emulatorHost } : {}),
  });
  try {
    return await run(t, clock, options);
  } finally {
    await t.close();
  }
}

async function run(
  t: TestApp,
  clock: ManualClock,
  options: Parameters<typeof runDayLongOutage>[0],
): Promise<OutageResult> {
  const { repo, pr } = options;
  const subs: Array<{ workspaceId: string; channelId: string; repo: string; botToken: string }> = [];
  for (let i = 0; i < options.channels; i += 1) {
    const workspaceId = `T${options.teamPrefix}${i}`;
    const channelId = `C${options.teamPrefix}${i}`;
    const { botToken } = await t.installWorkspace({
      workspaceId,
      channels: [{ id: channelId, name: channelId.toLowerCase(), isPrivate: false, botIsMember: true }],
    });
    await t.deps.store.subscriptions.subscribe({
      workspaceId,
      repoFullName: repo,
      channelId,
      actor: 'USETUP',
      at: clock.now(),
    });
    subs.push({ workspaceId, channelId, repo, botToken });
  }
  const calls = (token: string) => t.slack.calls.filter((c) => c.token === token).length;
  const fewestTries = () => Math.min(...subs.map((s) => calls(s.botToken)));
  // Real time is only a bound here: the outage ends when the simulated clock says so.
  const outage = subs.map((s) =>
    t.slack.failFor({ token: s.botToken, error: 'service_unavailable', httpStatus: 503, durationMs: HOUR_MS }),
  );

  /**
   * The queue is quiet at the simulated time: no job runs and none is due. The clock moves only then, so a run
   * records its outcome at the time it ran, and a step's outcome is read only after every job it woke has settled
   * (real time only bounds a hang: a loaded machine may take seconds for a step).
   */
  const queueQuiet = async () => {
    const snap = await t.deps.db.collection(COLLECTIONS.jobs).where('status', 'in', ['pending', 'running']).get();
    return snap.docs.every((d) => {
      const runAt: unknown = d.get('run_at');
      return d.get('status') === 'pending' && runAt instanceof Timestamp && runAt.toMillis() > clock.now().getTime();
    });
  };
  /** Moves the clock one step, wakes the queue and waits until it is quiet again. */
  async function step(): Promise<void> {
    clock.advance(options.stepMs);
    if (clock.elapsed() >= options.outageMs) for (const w of outage) w.end();
    t.app.queue.wake();
    if ((await waitUntil(queueQuiet, 60_000, 10)) === null) {
      throw new Error(`the queue did not settle after a step:\n${(await unfinishedJobs(t.deps.db)).join('\n')}`);
    }
  }

  await t.sendDelivery(opened(repo, pr));
  await waitUntil(async () => fewestTries() > 0 && (await queueQuiet()), 60_000, 10);
  while (clock.elapsed() + options.stepMs < options.outageMs) await step();
  const triesDuringOutage = fewestTries();
  const deadAfterOutage = await deadJobs(t.deps.db);

  const expectOpen: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'open' }));
  const outageEnd = options.outageMs;
  let postedAfterMs: number | null = null;
  for (let k = 0; k < 10 && postedAfterMs === null; k += 1) {
    await step();
    if (isClean(tally(t.slack, expectOpen))) postedAfterMs = clock.elapsed() - outageEnd;
  }
  const posted = tally(t.slack, expectOpen);

  await t.sendDelivery(merged(repo, pr));
  const expectMerged: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'merged' }));
  await waitUntil(async () => isClean(tally(t.slack, expectMerged)) && (await queueQuiet()), 60_000, 10);
  // A few more steps: nothing left in the queue may post a second copy later.
  for (let k = 0; k < 3; k += 1) await step();
  return {
    outageMs: options.outageMs,
    simulatedMs: clock.elapsed(),
    fewestTries: triesDuringOutage,
    deadAfterOutage,
    deadAtEnd: await deadJobs(t.deps.db),
    postedAfterMs,
    posted,
    final: tally(t.slack, expectMerged),
    unfinished: await unfinishedJobs(t.deps.db),
  };
}
