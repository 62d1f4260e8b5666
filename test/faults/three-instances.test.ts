import { afterAll, beforeAll, describe, it } from 'vitest';
import { emulatorHost } from '../support/firestore.js';
import { runDuplicatedDeliveries } from './scenarios/duplicated-deliveries.js';
import { runRateLimited } from './scenarios/rate-limited.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-three' });
  await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
});
afterAll(async () => {
  await cluster?.close();
});

// Side by side on the same three instances (other workspaces, other repos): one workspace's rate limit must not
// hold up anyone else's work.
describe.concurrent('three instances', () => {
  it('a rate-limited workspace (429 + Retry-After: 1 for a long stretch) loses no job, and one not limited is not held up', async ({
    expect,
  }) => {
    // At least 20 s, and until every job was refused more often than the 12 attempts after which jobs used to die.
    const r = await runRateLimited(cluster, {
      busy: 4,
      repo: 'fault-org/busy',
      pr: 21,
      teamPrefix: 'RL',
      minLimitedMs: 20_000,
      refusals: 13,
      maxLimitedMs: 60_000,
      postWaitMs: 15_000,
      settleMs: 2_000,
    });
    expect(r.fewestRefusals).toBeGreaterThanOrEqual(13);
    expect(r.calmPostedMs).not.toBeNull();
    expect(r.calmPostedMs).toBeLessThan(10_000);
    expect(r.deadAfterStretch).toEqual([]);
    const clean = { checked: 5, lost: [], doubled: [], wrong: [] };
    expect(r.posted, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
    expect(r.final, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
    expect(r.deadAtEnd).toEqual([]);
  }, 150_000);

  it('a quarter of the deliveries duplicated across instances: every channel × PR posted once, ending merged', async ({
    expect,
  }) => {
    const r = await runDuplicatedDeliveries(cluster, {
      teams: 8,
      prs: [41, 42, 43, 44, 45, 46],
      repo: 'fault-org/busy-repo',
      teamPrefix: 'DUP',
      duplicateEvery: 4,
      waitMs: 60_000,
      settleMs: 2_000,
    });
    expect(r.duplicated).toBe(3);
    expect(r.refused).toEqual([]);
    expect(r.convergedMs).not.toBeNull();
    expect(r.final, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual({
      checked: 48,
      lost: [],
      doubled: [],
      wrong: [],
    });
  }, 120_000);
});
