import { deadJobs } from '../support/dead-jobs.js';
import type { FaultCluster } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil } from '../support/wait-until.js';

export interface RateLimitedResult {
  /** How long Slack refused the busy workspaces' posts. */
  limitedMs: number;
  /** Refused posts of the busy job that was refused least often: each refusal was a try the job survived. */
  fewestRefusals: number;
  /** When the workspace that was not limited showed its message (null: not during the stretch). */
  calmPostedMs: number | null;
  /** Dead jobs right after the stretch and at the end. */
  deadAfterStretch: string[];
  deadAtEnd: string[];
  /** After the stretch; then after the merge and a quiet spell. */
  posted: Tally;
  final: Tally;
  /** Jobs not done at the end. */
  unfinished: string[];
}

/**
 * A rate-limited workspace: Slack answers every chat.postMessage of `busy` workspaces with 429 + Retry-After: 1
 * for at least `minLimitedMs`, and until each of their jobs was refused `refusals` times; one more workspace,
 * subscribed to the same repo, is not limited. Then the PR is merged. Runs on the cluster's live instances.
 */
export async function runRateLimited(
  cluster: FaultCluster,
  options: {
    busy: number;
    repo: string;
    pr: number;
    teamPrefix: string;
    minLimitedMs: number;
    refusals: number;
    maxLimitedMs: number;
    postWaitMs: number;
    settleMs: number;
  },
): Promise<RateLimitedResult> {
  const { repo, pr } = options;
  const busy = Array.from({ length: options.busy }, (_, i) => ({
    workspaceId: `T${options.teamPrefix}${i}`,
    channelId: `C${options.teamPrefix}${i}`,
    repo,
  }));
  const calm = { workspaceId: `T${options.teamPrefix}CALM`, channelId: `C${options.teamPrefix}CALM`, repo };
  const subs = await installSubscriptions(cluster, [...busy, calm]);
  const busyTokens = subs.slice(0, busy.length).map((s) => s.botToken);
  const started = Date.now();
  const windows = busyTokens.map((token) =>
    cluster.slack.failFor({
      method: 'chat.postMessage',
      token,
      error: 'ratelimited',
      retryAfterSeconds: 1,
      durationMs: options.maxLimitedMs,
    }),
  );
  const fewestRefusals = () =>
    Math.min(...busyTokens.map((token) => cluster.slack.callsTo('chat.postMessage', token).length));
  const [first, second] = cluster.live();
  await cluster.deliver({ ...opened(repo, pr), ...(first ? { to: first } : {}) });

  const calmOpen: ExpectedMessage[] = [{ ...calm, pr, state: 'open' }];
  const calmWait = await waitUntil(() => isClean(tally(cluster.slack, calmOpen)), options.minLimitedMs);
  const calmPostedMs = calmWait === null ? null : Date.now() - started;
  await waitUntil(() => fewestRefusals() >= options.refusals, options.maxLimitedMs - (Date.now() - started));
  await sleep(Math.max(0, started + options.minLimitedMs - Date.now()));
  for (const w of windows) w.end();
  const limitedMs = Date.now() - started;
  const refused = fewestRefusals();
  const deadAfterStretch = await deadJobs(cluster.db);

  const allOpen: ExpectedMessage[] = [...busy, calm].map((t) => ({ ...t, pr, state: 'open' }));
  await waitUntil(() => isClean(tally(cluster.slack, allOpen)), options.postWaitMs);
  const posted = tally(cluster.slack, allOpen);
  await cluster.deliver({ ...merged(repo, pr), ...(second ? { to: second } : {}) });
  const allMerged: ExpectedMessage[] = allOpen.map((e) => ({ ...e, state: 'merged' }));
  await waitUntil(() => isClean(tally(cluster.slack, allMerged)), options.postWaitMs);
  await sleep(options.settleMs);
  return {
    limitedMs,
    fewestRefusals: refused,
    calmPostedMs,
    deadAfterStretch,
    deadAtEnd: await deadJobs(cluster.db),
    posted,
    final: tally(cluster.slack, allMerged),
    unfinished: await unfinishedJobs(cluster.db),
  };
}
