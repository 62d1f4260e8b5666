import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import type { HookVerdict } from '../fakes/fake-slack.js';
import { startFaultCluster, type FaultCluster, type Instance } from './support/fault-cluster.js';
import { installSubscriptions } from './support/fault-teams.js';
import { merged, opened } from './support/pr-deliveries.js';
import { tally, type ExpectedMessage } from './support/tally.js';
import { waitForRecordedTs } from './support/tracked-ts.js';

const PR = 31;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster({ emulatorHost: emulatorHost(), projectPrefix: 'fault-kill9' });
  await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
});
afterAll(async () => {
  await cluster?.close();
});

/** Where in a post the process dies, and what Slack does with the call. */
const KILL_POINTS = ['before the call', 'during the call', 'after Slack accepted it', 'after the ts was recorded'] as const;

describe('kill -9 at every point of a post', () => {
  it('survivors finish: every channel has its message once, and the first copy is the one the merge updates', async () => {
    const subs = await installSubscriptions(cluster, KILL_POINTS.map((_, i) => ({ teamId: `TK${i}`, channelId: `CK${i}`, repo: `fault-org/kill-${i}` })));
    const victims: string[] = [];
    for (const [i, point] of KILL_POINTS.entries()) {
      const sub = subs[i];
      if (!sub) throw new Error('missing subscription');
      const killed = new Promise<Instance>((resolve) => {
        cluster.slack.hook({
          method: 'chat.postMessage', at: point === 'before the call' || point === 'during the call' ? 'arrival' : 'answer',
          where: (call) => call.args['channel'] === sub.channelId,
          run: async (call): Promise<HookVerdict> => {
            const victim = cluster.instance(call.caller ?? '');
            if (point === 'after the ts was recorded') {
              // Let the answer go out, then kill the process as soon as it has written the ts down.
              void waitForRecordedTs(cluster.db, { ...sub, prNumber: PR }).then(() => victim.kill9()).then(() => resolve(victim));
              return 'continue';
            }
            await victim.kill9();
            resolve(victim);
            // Before: the call never reaches Slack. During: Slack had it and posts it after the caller died.
            // After accepted: the message is in the channel, the answer goes nowhere.
            if (point === 'before the call') return 'drop';
            await call.callerGone;
            return 'continue';
          },
        });
      });
      const to = cluster.live()[0];
      expect((await cluster.deliver({ ...opened(sub.repo, PR), ...(to ? { to } : {}) })).status).toBe(202);
      const victim = await withTimeout(killed, 30_000, `no post to kill at "${point}"`);
      victims.push(`${victim.name} ${point}`);
      // Cloud Run starts another instance; the survivors and it finish the work.
      await cluster.spawn(`r${i}`);
    }
    expect(victims).toHaveLength(4);

    const expectOpen: ExpectedMessage[] = subs.map((s) => ({ ...s, pr: PR, state: 'open' }));
    // A killed instance's jobs are free again once their leases run out (renewed while alive, so short).
    await eventually(() => expect(tally(cluster.slack, expectOpen)).toEqual({ checked: 4, lost: [], doubled: [], wrong: [] }), 60_000);

    for (const s of subs) expect((await cluster.deliver(merged(s.repo, PR))).status).toBe(202);
    const expectMerged: ExpectedMessage[] = subs.map((s) => ({ ...s, pr: PR, state: 'merged' }));
    await eventually(() => expect(tally(cluster.slack, expectMerged)).toEqual({ checked: 4, lost: [], doubled: [], wrong: [] }), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(tally(cluster.slack, expectMerged)).toEqual({ checked: 4, lost: [], doubled: [], wrong: [] });
  }, 240_000);
});

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
