import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHost } from '../support/firestore.js';
import { KILL_POINTS, runKillPoints } from './scenarios/kill-points.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-kill9' });
  await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
});
afterAll(async () => {
  await cluster?.close();
});

describe('kill -9 at every point of a post', () => {
  it('survivors finish: every channel has its message once, and the first copy is the one the merge updates', async () => {
    // The waits cover a crash inside a Firestore transaction: the documents it read stay locked until the
    // transaction expires (about 60 s on the emulator), and a dead instance's job lease runs out after 30 s.
    const r = await runKillPoints(cluster, {
      points: KILL_POINTS,
      pr: 31,
      teamPrefix: 'K',
      recoverWaitMs: 90_000,
      mergeWaitMs: 90_000,
      settleMs: 3_000,
    });
    expect(r.kills).toHaveLength(KILL_POINTS.length);
    const clean = { checked: KILL_POINTS.length, lost: [], doubled: [], wrong: [] };
    expect(r.posted, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
    // A killed instance's leases are renewed only while it lives, so its jobs are free again soon.
    expect(r.recoveredMs).not.toBeNull();
    expect(r.final, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
  }, 300_000);
});
