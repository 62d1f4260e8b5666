import type { HookVerdict } from '../../fakes/fake-slack.js';
import type { FaultCluster } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil, withTimeout } from '../support/wait-until.js';

export interface KillAfterPostResult {
  victim: string;
  /** Posts the victim had made (answered or not) when it died. */
  victimPosts: number;
  /** From the kill until every channel showed its message once (null: not within the wait). */
  recoveredMs: number | null;
  posted: Tally;
  final: Tally;
  /** Jobs not done at the end. */
  unfinished: string[];
}

/**
 * One PR fanned out to `channels` workspaces over the cluster's live instances; the moment Slack has accepted the
 * first post and before its answer goes out, the instance that made it is killed with whatever else it was doing.
 * A replacement starts; the survivors finish; then the PR is merged.
 */
export async function runKillAfterPost(
  cluster: FaultCluster,
  options: {
    channels: number;
    repo: string;
    pr: number;
    teamPrefix: string;
    recoverWaitMs: number;
    mergeWaitMs: number;
    settleMs: number;
  },
): Promise<KillAfterPostResult> {
  const { repo, pr } = options;
  const subs = await installSubscriptions(
    cluster,
    Array.from({ length: options.channels }, (_, i) => ({
      teamId: `T${options.teamPrefix}${i}`,
      channelId: `C${options.teamPrefix}${i}`,
      repo,
    })),
  );
  const killed = new Promise<string>((resolve) => {
    cluster.slack.hook({
      method: 'chat.postMessage',
      at: 'answer',
      run: async (call): Promise<HookVerdict> => {
        const victim = cluster.instance(call.caller ?? '');
        await victim.kill9();
        resolve(victim.name);
        return 'drop';
      },
    });
  });
  await cluster.deliver(opened(repo, pr));
  const victim = await withTimeout(killed, 30_000, 'no post was made');
  const killedAt = Date.now();
  const victimPosts = cluster.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.caller === victim).length;
  await cluster.spawn(`${victim}-replacement`);

  const expectOpen: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'open' }));
  const recovered = await waitUntil(() => isClean(tally(cluster.slack, expectOpen)), options.recoverWaitMs);
  const recoveredMs = recovered === null ? null : Date.now() - killedAt;
  const posted = tally(cluster.slack, expectOpen);
  await cluster.deliver(merged(repo, pr));
  const expectMerged: ExpectedMessage[] = subs.map((s) => ({ ...s, pr, state: 'merged' }));
  await waitUntil(() => isClean(tally(cluster.slack, expectMerged)), options.mergeWaitMs);
  await sleep(options.settleMs);
  return {
    victim,
    victimPosts,
    recoveredMs,
    posted,
    final: tally(cluster.slack, expectMerged),
    unfinished: await unfinishedJobs(cluster.db),
  };
}
