import { COLLECTIONS } from '../../../src/store/ids.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { deadJobs } from '../support/dead-jobs.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil } from '../support/wait-until.js';

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

  // The clock moves only while no job runs: a run must record its outcome at the time it ran.
  const noJobRunning = async () =>
    (await t.deps.db.collection(COLLECTIONS.jobs).where('status', '==', 'running').get()).empty;
  /** Moves the clock one step and wakes the queue; resolves once every workspace made another call and its job settled (or 5 s passed). */
  async function step(): Promise<void> {
    const before = subs.map((s) => calls(s.botToken));
    clock.advance(options.stepMs);
    if (clock.elapsed() >= options.outageMs) for (const w of outage) w.end();
    t.app.queue.wake();
    await waitUntil(
      async () => subs.every((s, i) => calls(s.botToken) > (before[i] ?? 0)) && (await noJobRunning()),
      5_000,
      10,
    );
  }

  await t.sendDelivery(opened(repo, pr));
  await waitUntil(async () => fewestTries() > 0 && (await noJobRunning()), 10_000, 10);
  while (clock.elapsed() + options.stepMs < options.outageMs) await step();
  const triesDuringOutage = fewestTries();
  const deadAfterOutage = await deadJobs(t.deps.db);

  const expectOpen: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'open' }));
  const outageEnd = options.outageMs;
  let postedAfterMs: number | null = null;
  for (let k = 0; k < 10 && postedAfterMs === null; k += 1) {
    await step();
    if (await waitUntil(() => isClean(tally(t.slack, expectOpen)), 2_000)) postedAfterMs = clock.elapsed() - outageEnd;
  }
  const posted = tally(t.slack, expectOpen);

  await t.sendDelivery(merged(repo, pr));
  const expectMerged: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'merged' }));
  await waitUntil(() => isClean(tally(t.slack, expectMerged)), 10_000);
  // A few more steps: nothing left in the queue may post a second copy later.
  for (let k = 0; k < 3; k += 1) {
    clock.advance(options.stepMs);
    t.app.queue.wake();
    await sleep(300);
  }
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
