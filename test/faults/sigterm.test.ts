import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHost } from '../support/firestore.js';
import { runSigtermInFlight } from './scenarios/sigterm-in-flight.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-sigterm' });
});
afterAll(async () => {
  await cluster?.close();
});

describe('a routine deploy: SIGTERM to one of three instances with 6 posts in flight (Slack slow)', () => {
  it('exits 0 within 10 s, and every channel gets its message exactly once, soon, updated at the merge', async () => {
    const r = await runSigtermInFlight(cluster, {
      channels: 6,
      repo: 'fault-org/deploy',
      pr: 11,
      teamPrefix: 'SIG',
      postWaitMs: 30_000,
      mergeWaitMs: 20_000,
      settleMs: 3_000,
    });
    expect(r.inFlight).toBe(6);
    expect(r.exit.code, r.stoppedOutput).toBe(0);
    expect(r.exit.ms).toBeLessThan(10_000);
    const clean = { checked: 6, lost: [], doubled: [], wrong: [] };
    expect(r.posted, [...r.unfinishedAfterPosts, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
    // Soon, not after a minute: the stopped instance handed its jobs and claims back, so nothing waits for a lease
    // or an old claim to run out; only a post that may still land in Slack is given time to settle (15 s).
    expect(r.allPostedMs).not.toBeNull();
    expect(r.allPostedMs).toBeLessThan(30_000);
    expect(r.final, [...r.unfinished, `logs: ${cluster.logDir}`].join('\n')).toEqual(clean);
  }, 120_000);
});
