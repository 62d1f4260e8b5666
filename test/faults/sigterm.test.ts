import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { installSubscriptions } from './support/fault-teams.js';
import { merged, opened } from './support/pr-deliveries.js';
import { tally, type ExpectedMessage } from './support/tally.js';

const REPO = 'fault-org/deploy';
const PR = 11;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-sigterm' });
});
afterAll(async () => {
  await cluster?.close();
});

describe('a routine deploy: SIGTERM to one of three instances with posts in flight', () => {
  it('exits 0 within 10 s, and every channel gets its message exactly once, soon, updated at the merge', async () => {
    const teams = Array.from({ length: 6 }, (_, i) => ({ teamId: `TSIG${i}`, channelId: `CSIG${i}`, repo: REPO }));
    await installSubscriptions(cluster, teams);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
    if (!a || !b || !c) throw new Error('instances did not start');

    // Slack is slow: each first post is held until the caller goes away. For half of the channels Slack has
    // already posted the message and only the answer is late; for the other half it has not handled the call yet
    // (and never will: the caller is gone).
    let held = 0;
    teams.forEach(({ channelId }, i) => {
      cluster.slack.hook({
        method: 'chat.postMessage', at: i < 3 ? 'answer' : 'arrival',
        where: (call) => call.args['channel'] === channelId && call.caller === 'a',
        run: async (call) => {
          held += 1;
          await Promise.race([call.callerGone, new Promise((resolve) => setTimeout(resolve, 60_000))]);
          return i < 3 ? 'continue' : 'drop';
        },
      });
    });
    // All six posts in flight on instance a: the others are paused while it takes the jobs.
    b.server.child.kill('SIGSTOP');
    c.server.child.kill('SIGSTOP');
    try {
      expect((await cluster.deliver({ ...opened(REPO, PR), to: a })).status).toBe(202);
      await eventually(() => expect(held).toBe(6), 20_000);
    } finally {
      b.server.child.kill('SIGCONT');
      c.server.child.kill('SIGCONT');
    }

    const stopped = await a.sigterm();
    expect(stopped.code, a.server.output()).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);

    const expectOpen: ExpectedMessage[] = teams.map((t) => ({ ...t, pr: PR, state: 'open' }));
    // Soon: the deploy handed its work back, so nothing waits for a claim or a lease to run out.
    await eventually(() => expect(tally(cluster.slack, expectOpen)).toEqual({ checked: 6, lost: [], doubled: [], wrong: [] }), 15_000);

    expect((await cluster.deliver({ ...merged(REPO, PR), to: b })).status).toBe(202);
    const expectMerged: ExpectedMessage[] = teams.map((t) => ({ ...t, pr: PR, state: 'merged' }));
    await eventually(() => expect(tally(cluster.slack, expectMerged)).toEqual({ checked: 6, lost: [], doubled: [], wrong: [] }), 20_000);
    // Nothing still queued posts a second copy later.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(tally(cluster.slack, expectMerged)).toEqual({ checked: 6, lost: [], doubled: [], wrong: [] });
  }, 120_000);
});
