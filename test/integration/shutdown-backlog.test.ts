import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { startFaultCluster, type FaultCluster } from '../faults/support/fault-cluster.js';
import { installSubscriptions } from '../faults/support/fault-teams.js';
import { opened } from '../faults/support/pr-deliveries.js';

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'shutdown-backlog' });
});
afterAll(async () => {
  await cluster?.close();
});

const REPO = 'backlog-org/service';
const statusCount = async (status: string) =>
  (await cluster.db.collection(COLLECTIONS.jobs).where('status', '==', status).count().get()).data().count;

describe('SIGTERM with a backlog', () => {
  it('exits 0 within 10 s with Slack hanging and hundreds of jobs due, handing back every job it held', async () => {
    await installSubscriptions(
      cluster,
      Array.from({ length: 20 }, (_, i) => ({ workspaceId: `TBK${i}`, channelId: `CBK${i}`, repo: REPO })),
    );
    const instance = await cluster.spawn('a');
    // Slack answers nothing for a long while: every post the instance starts stays in flight.
    cluster.slack.delayNext({ method: 'chat.postMessage', delayMs: 60_000, times: 10_000 });
    // 25 PRs × 20 workspaces = 500 reconciles: the runner takes up to 128 at once, so hundreds stay due behind them.
    const sent = await Promise.all(Array.from({ length: 25 }, (_, i) => cluster.deliver({ ...opened(REPO, 100 + i) })));
    expect(
      sent.map((r) => r.status),
      instance.server.output().slice(-3000),
    ).toEqual(sent.map(() => 202));
    // Posts in flight (the fake records a call when it arrives), and the fan-outs done: a backlog of reconciles.
    await eventually(() => expect(cluster.slack.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(10), 30_000);
    await eventually(async () => expect(await statusCount('pending')).toBeGreaterThanOrEqual(200), 30_000);
    // A client still holding a keep-alive connection, as a load balancer does, and one whose request never ends
    // (its body stalls half-way): neither may hold the process past its deadline.
    await fetch(`${instance.server.baseUrl}/healthz`);
    const stalled = connect(Number(new URL(instance.server.baseUrl).port), '127.0.0.1');
    stalled.on('error', () => undefined);
    stalled.write(
      'POST /github/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"half":',
    );

    const exit = await instance.sigterm();
    stalled.destroy();
    expect(exit.code, instance.server.output().slice(-3000)).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    // Nothing is left leased to the stopped instance: the next instance takes every job at once.
    expect(await statusCount('running')).toBe(0);
    expect(await statusCount('pending')).toBeGreaterThanOrEqual(200);
  }, 120_000);
});
