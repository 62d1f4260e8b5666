import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHost } from '../support/firestore.js';
import { runRateLimited } from './scenarios/rate-limited.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';

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
    // At least 20 s, and until every job was refused more often than the 12 attempts after which jobs used to die.
    const r = await runRateLimited(cluster, {
      busy: 4, repo: 'fault-org/busy', pr: 21, teamPrefix: 'RL', minLimitedMs: 20_000, refusals: 13, maxLimitedMs: 60_000,
      postWaitMs: 15_000, settleMs: 2_000,
    });
    expect(r.fewestRefusals).toBeGreaterThanOrEqual(13);
    expect(r.calmPostedMs).not.toBeNull();
    expect(r.calmPostedMs).toBeLessThan(10_000);
    expect(r.deadAfterStretch).toEqual([]);
    const clean = { checked: 5, lost: [], doubled: [], wrong: [] };
    expect(r.posted).toEqual(clean);
    expect(r.final).toEqual(clean);
    expect(r.deadAtEnd).toEqual([]);
  }, 150_000);
});
