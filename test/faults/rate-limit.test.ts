import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { deadJobs } from './support/dead-jobs.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { installSubscriptions } from './support/fault-teams.js';
import { merged, opened } from './support/pr-deliveries.js';
import { tally, type ExpectedMessage } from './support/tally.js';

const REPO = 'fault-org/busy';
const PR = 21;
/** A long stretch, but one the suite can afford; it also lasts until each job was refused more often than today's 12 attempts. */
const MIN_RATE_LIMITED_MS = 20_000;
const REFUSALS_BEYOND_OLD_BUDGET = 13;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-429' });
  await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
});
afterAll(async () => {
  await cluster?.close();
});

describe('a rate-limited workspace: Slack answers 429 with Retry-After: 1 for a long stretch', () => {
  it('loses no job: every channel is posted once when Slack lets it, and a workspace that is not limited is not held up', async () => {
    const busy = Array.from({ length: 4 }, (_, i) => ({ teamId: `TRL${i}`, channelId: `CRL${i}`, repo: REPO }));
    const calm = { teamId: 'TCALM', channelId: 'CCALM', repo: REPO };
    const subs = await installSubscriptions(cluster, [...busy, calm]);
    const started = Date.now();
    const windows = subs.slice(0, busy.length).map((s) =>
      cluster.slack.failFor({ method: 'chat.postMessage', token: s.botToken, error: 'ratelimited', retryAfterSeconds: 1, durationMs: 90_000 }));
    const [a, b] = cluster.live();
    expect((await cluster.deliver({ ...opened(REPO, PR), to: a })).status).toBe(202);

    const calmOpen: ExpectedMessage[] = [{ ...calm, pr: PR, state: 'open' }];
    await eventually(() => expect(tally(cluster.slack, calmOpen)).toEqual({ checked: 1, lost: [], doubled: [], wrong: [] }), 10_000);

    // Every busy job keeps trying (each try is refused) past the point where today's queue gave up.
    await eventually(() => {
      for (const s of subs.slice(0, busy.length)) {
        expect(cluster.slack.callsTo('chat.postMessage', s.botToken).length, s.teamId).toBeGreaterThanOrEqual(REFUSALS_BEYOND_OLD_BUDGET);
      }
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + MIN_RATE_LIMITED_MS - Date.now())));
    for (const w of windows) w.end();
    expect(await deadJobs(cluster.db)).toEqual([]);
    const allOpen: ExpectedMessage[] = [...busy, calm].map((t) => ({ ...t, pr: PR, state: 'open' }));
    await eventually(() => expect(tally(cluster.slack, allOpen)).toEqual({ checked: 5, lost: [], doubled: [], wrong: [] }), 15_000);

    expect((await cluster.deliver({ ...merged(REPO, PR), to: b })).status).toBe(202);
    const allMerged: ExpectedMessage[] = allOpen.map((e) => ({ ...e, state: 'merged' }));
    await eventually(() => expect(tally(cluster.slack, allMerged)).toEqual({ checked: 5, lost: [], doubled: [], wrong: [] }), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(tally(cluster.slack, allMerged)).toEqual({ checked: 5, lost: [], doubled: [], wrong: [] });
    expect(await deadJobs(cluster.db)).toEqual([]);
  }, 120_000);
});
