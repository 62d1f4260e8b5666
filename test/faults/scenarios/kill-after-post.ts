import type { HookVerdict } from '../../../dev/fakes/fake-slack.js';
import type { FaultCluster } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil, withTimeout } from '../support/wait-until.js';

export interface KillAfterPostResult {
  victim: string;
  /** The victim's posts Slack had accepted (in their channels) but not answered when it died. */
  acceptedUnanswered: number;
  /** From the kill until every channel showed its message once (null: not within the wait). */
  recoveredMs: number | null;
  posted: Tally;
  final: Tally;
  /** Jobs not done at the end. */
  unfinished: string[];
}

/**
 * One PR fanned out to `channels` workspaces over the cluster's live instances. The instance that makes the first
 * post is the victim: Slack accepts its posts but holds their answers until it has accepted `acceptedBeforeKill` of
 * them (or 3 s passed), then the victim is killed with whatever else it was doing: each of those posts is in its
 * channel and recorded nowhere. A replacement starts; the survivors finish; then the PR is merged.
 */
export async function runKillAfterPost(
  cluster: FaultCluster,
  options: {
    channels: number;
    repo: string;
    pr: number;
    teamPrefix: string;
    acceptedBeforeKill: number;
    recoverWaitMs: number;
    mergeWaitMs: number;
    settleMs: number;
  },
): Promise<KillAfterPostResult> {
  const { repo, pr } = options;
  const subs = await installSubscriptions(
    cluster,
    Array.from({ length: options.channels }, (_, i) => ({
      workspaceId: `T${options.teamPrefix}${i}`,
      channelId: `C${options.teamPrefix}${i}`,
      repo,
    })),
  );
  let victimName: string | null = null;
  let accepted = 0;
  let fire: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (fire = resolve)).then(async () => {
    await cluster.instance(victimName ?? '').kill9();
    return victimName ?? '';
  });
  let dead = false;
  void killed.then(() => (dead = true));
  cluster.slack.hook({
    method: 'chat.postMessage',
    at: 'answer',
    times: options.channels * 2,
    run: async (call): Promise<HookVerdict> => {
      victimName ??= call.caller ?? '';
      if (dead || call.caller !== victimName) return 'continue';
      accepted += 1;
      if (accepted === 1) setTimeout(fire, 3_000);
      if (accepted >= options.acceptedBeforeKill) fire();
      await killed;
      return 'drop';
    },
  });
  await cluster.deliver(opened(repo, pr));
  const victim = await withTimeout(killed, 30_000, 'no post was made');
  const killedAt = Date.now();
  const acceptedUnanswered = accepted;
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
    acceptedUnanswered,
    recoveredMs,
    posted,
    final: tally(cluster.slack, expectMerged),
    unfinished: await unfinishedJobs(cluster.db),
  };
}
