import type { FaultCluster } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil } from '../support/wait-until.js';

export interface SigtermResult {
  /** Posts the stopped instance had in flight when it got SIGTERM. */
  inFlight: number;
  exit: { code: number | null; ms: number };
  /** From SIGTERM until every channel showed its message (null: not within the wait). */
  allPostedMs: number | null;
  /** Right after the posts (or when the wait ran out). */
  posted: Tally;
  /** After the merge and a quiet spell. */
  final: Tally;
  stoppedOutput: string;
  /** Jobs not done when the posts were waited for, and at the end (for a failing test's message). */
  unfinishedAfterPosts: string[];
  unfinished: string[];
}

/**
 * A routine deploy: three instances, Slack slow, SIGTERM to the one with `channels` posts in flight. Slack holds
 * each first post until its caller goes away: for half of the channels it has already posted and only the answer
 * is late; for the other half it has not handled the call and never will. Then the PR is merged.
 */
export async function runSigtermInFlight(
  cluster: FaultCluster,
  options: {
    channels: number;
    repo: string;
    pr: number;
    teamPrefix: string;
    postWaitMs: number;
    mergeWaitMs: number;
    settleMs: number;
  },
): Promise<SigtermResult> {
  const { repo, pr } = options;
  const teams = Array.from({ length: options.channels }, (_, i) => ({
    workspaceId: `T${options.teamPrefix}${i}`,
    channelId: `C${options.teamPrefix}${i}`,
    repo,
  }));
  await installSubscriptions(cluster, teams);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => cluster.spawn(name)));
  if (!a || !b || !c) throw new Error('instances did not start');

  let held = 0;
  teams.forEach(({ channelId }, i) => {
    const accepted = i % 2 === 0;
    cluster.slack.hook({
      method: 'chat.postMessage',
      at: accepted ? 'answer' : 'arrival',
      where: (call) => call.args['channel'] === channelId && call.caller === 'a',
      run: async (call) => {
        held += 1;
        await Promise.race([call.callerGone, sleep(60_000)]);
        return accepted ? 'continue' : 'drop';
      },
    });
  });
  // All posts in flight on instance a: the other two are paused (SIGSTOP) while it takes the jobs.
  b.server.child.kill('SIGSTOP');
  c.server.child.kill('SIGSTOP');
  try {
    const res = await cluster.deliver({ ...opened(repo, pr), to: a });
    if (res.status !== 202) throw new Error(`delivery answered ${res.status}`);
    await waitUntil(() => held === teams.length, 20_000);
  } finally {
    b.server.child.kill('SIGCONT');
    c.server.child.kill('SIGCONT');
  }
  const inFlight = held;
  const exit = await a.sigterm();

  const expectOpen: ExpectedMessage[] = teams.map((t) => ({ ...t, pr, state: 'open' }));
  const sigtermAt = Date.now() - exit.ms;
  const done = await waitUntil(() => isClean(tally(cluster.slack, expectOpen)), options.postWaitMs);
  const allPostedMs = done === null ? null : Date.now() - sigtermAt;
  const posted = tally(cluster.slack, expectOpen);
  const unfinishedAfterPosts = await unfinishedJobs(cluster.db);

  await cluster.deliver({ ...merged(repo, pr), to: b });
  const expectMerged: ExpectedMessage[] = teams.map((t) => ({ ...t, pr, state: 'merged' }));
  await waitUntil(() => isClean(tally(cluster.slack, expectMerged)), options.mergeWaitMs);
  // Nothing still queued may post a second copy later.
  await sleep(options.settleMs);
  return {
    inFlight,
    exit,
    allPostedMs,
    posted,
    final: tally(cluster.slack, expectMerged),
    stoppedOutput: a.server.output(),
    unfinishedAfterPosts,
    unfinished: await unfinishedJobs(cluster.db),
  };
}
