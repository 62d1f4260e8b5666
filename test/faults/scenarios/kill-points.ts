import type { HookVerdict } from '../../../dev/fakes/fake-slack.js';
import type { FaultCluster, Instance } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { waitForRecordedTs } from '../support/tracked-ts.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil, withTimeout } from '../support/wait-until.js';

/** Where in a post the process dies. */
export const KILL_POINTS = [
  'before the call',
  'during the call',
  'after Slack accepted it',
  'after the ts was recorded',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export interface KillPointsResult {
  /** `instance point` per kill, in order. */
  kills: string[];
  /** From the last kill until every channel showed its message once (null: not within the wait). */
  recoveredMs: number | null;
  posted: Tally;
  final: Tally;
  /** Jobs not done at the end (for a failing test's message). */
  unfinished: string[];
}

/**
 * kill -9 at each point of a post, one channel (and repo) per point, one after another on whichever instance
 * makes the post; after each kill a replacement instance starts, as Cloud Run would. Before the call: the call
 * never reaches Slack. During it: Slack holds the call, the caller dies, then Slack posts it. After Slack
 * accepted it: the message is in the channel and the answer goes nowhere. After the record: the ts is written.
 * The survivors finish; then every PR is merged. Needs live instances on the cluster.
 */
export async function runKillPoints(
  cluster: FaultCluster,
  options: {
    points: readonly KillPoint[];
    pr: number;
    teamPrefix: string;
    recoverWaitMs: number;
    mergeWaitMs: number;
    settleMs: number;
  },
): Promise<KillPointsResult> {
  const { pr } = options;
  const subs = await installSubscriptions(
    cluster,
    options.points.map((_, i) => ({
      workspaceId: `T${options.teamPrefix}${i}`,
      channelId: `C${options.teamPrefix}${i}`,
      repo: `fault-org/${options.teamPrefix.toLowerCase()}-${i}`,
    })),
  );
  const kills: string[] = [];
  let lastKillAt = Date.now();
  for (const [i, point] of options.points.entries()) {
    const sub = subs[i];
    if (!sub) throw new Error('missing subscription');
    const killed = new Promise<Instance>((resolve, reject) => {
      cluster.slack.hook({
        method: 'chat.postMessage',
        at: point === 'before the call' || point === 'during the call' ? 'arrival' : 'answer',
        where: (call) => call.args['channel'] === sub.channelId,
        run: async (call): Promise<HookVerdict> => {
          const victim = cluster.instance(call.caller ?? '');
          if (point === 'after the ts was recorded') {
            waitForRecordedTs(cluster.db, { ...sub, prNumber: pr })
              .then(() => victim.kill9())
              .then(() => resolve(victim), reject);
            return 'continue';
          }
          await victim.kill9();
          resolve(victim);
          if (point === 'before the call') return 'drop';
          await call.callerGone;
          return 'continue';
        },
      });
    });
    const to = cluster.live()[0];
    await cluster.deliver({ ...opened(sub.repo, pr), ...(to ? { to } : {}) });
    const victim = await withTimeout(killed, 30_000, `no post to kill at "${point}"`);
    lastKillAt = Date.now();
    kills.push(`${victim.name} ${point}`);
    await cluster.spawn(`${options.teamPrefix.toLowerCase()}-r${i}`);
  }

  const expectOpen: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'open' }));
  const recovered = await waitUntil(() => isClean(tally(cluster.slack, expectOpen)), options.recoverWaitMs);
  const recoveredMs = recovered === null ? null : Date.now() - lastKillAt;
  const posted = tally(cluster.slack, expectOpen);
  for (const s of subs) await cluster.deliver(merged(s.repo, pr));
  const expectMerged: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'merged' }));
  await waitUntil(() => isClean(tally(cluster.slack, expectMerged)), options.mergeWaitMs);
  await sleep(options.settleMs);
  return {
    kills,
    recoveredMs,
    posted,
    final: tally(cluster.slack, expectMerged),
    unfinished: await unfinishedJobs(cluster.db),
  };
}
