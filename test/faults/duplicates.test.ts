import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { installSubscriptions } from './support/fault-teams.js';
import { merged, opened } from './support/pr-deliveries.js';
import { tally, type ExpectedMessage } from './support/tally.js';

const REPO = 'fault-org/busy-repo';
const TEAMS = 8;
const PRS = [41, 42, 43, 44, 45, 46];

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
    const subs = await installSubscriptions(cluster, Array.from({ length: TEAMS }, (_, i) => ({ teamId: `TDUP${i}`, channelId: `CDUP${i}`, repo: REPO })));
    const instances = cluster.live();
    // Opened for every PR, then merged for every PR at once: merges race the posts still being paced.
    const deliveries = [...PRS.map((pr) => opened(REPO, pr)), ...PRS.map((pr) => merged(REPO, pr))];
    for (const [k, d] of deliveries.entries()) {
      const deliveryId = randomUUID();
      const to = instances[k % instances.length];
      // Every fourth delivery reaches two instances at once, as an at-least-once sender's retry would.
      const twin = k % 4 === 0 ? instances[(k + 1) % instances.length] : undefined;
      const sent = await Promise.all([to, twin].filter((i) => i !== undefined).map((i) => cluster.deliver({ ...d, deliveryId, to: i })));
      for (const res of sent) expect([200, 202]).toContain(res.status);
    }
    const expectMerged: ExpectedMessage[] = subs.flatMap((s) => PRS.map((pr) => ({ ...s, pr, state: 'merged' as const })));
    const clean = { checked: TEAMS * PRS.length, lost: [], doubled: [], wrong: [] };
    await eventually(() => expect(tally(cluster.slack, expectMerged)).toEqual(clean), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(tally(cluster.slack, expectMerged)).toEqual(clean);
  }, 120_000);
});
