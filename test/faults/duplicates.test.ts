import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHost } from '../support/firestore.js';
import { runDuplicatedDeliveries } from './scenarios/duplicated-deliveries.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-dup' });
  await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
});
afterAll(async () => {
  await cluster?.close();
});

describe('three instances, a quarter of the deliveries duplicated across instances', () => {
  it('posts every channel × PR exactly once and ends in the merged state', async () => {
    const r = await runDuplicatedDeliveries(cluster, {
      teams: 8, prs: [41, 42, 43, 44, 45, 46], repo: 'fault-org/busy-repo', teamPrefix: 'DUP', duplicateEvery: 4, waitMs: 60_000, settleMs: 2_000,
    });
    expect(r.duplicated).toBe(3);
    expect(r.refused).toEqual([]);
    expect(r.convergedMs).not.toBeNull();
    expect(r.final).toEqual({ checked: 48, lost: [], doubled: [], wrong: [] });
  }, 120_000);
});
