import { randomUUID } from 'node:crypto';
import type { FaultCluster } from '../support/fault-cluster.js';
import { installSubscriptions } from '../support/fault-teams.js';
import { merged, opened } from '../support/pr-deliveries.js';
import { isClean, tally, type ExpectedMessage, type Tally } from '../support/tally.js';
import { unfinishedJobs } from '../support/unfinished-jobs.js';
import { sleep, waitUntil } from '../support/wait-until.js';

export interface DuplicatesResult {
  deliveries: number;
  duplicated: number;
  /** HTTP statuses other than 200/202 (a duplicate is answered 200). */
  refused: number[];
  /** From the last delivery until every channel × PR showed the merged message once (null: not within the wait). */
  convergedMs: number | null;
  final: Tally;
  /** Jobs not done at the end. */
  unfinished: string[];
}

/**
 * Several instances, `teams` workspaces following one repo, `prs` PRs opened and then all merged at once (merges
 * race the paced posts); every `duplicateEvery`-th delivery reaches two instances at the same moment, as an
 * at-least-once sender's retry would. Needs live instances on the cluster.
 */
export async function runDuplicatedDeliveries(
  cluster: FaultCluster,
  options: {
    teams: number;
    prs: number[];
    repo: string;
    teamPrefix: string;
    duplicateEvery: number;
    waitMs: number;
    settleMs: number;
  },
): Promise<DuplicatesResult> {
  const { repo, prs } = options;
  const subs = await installSubscriptions(
    cluster,
    Array.from({ length: options.teams }, (_, i) => ({
      workspaceId: `T${options.teamPrefix}${i}`,
      channelId: `C${options.teamPrefix}${i}`,
      repo,
    })),
  );
  const instances = cluster.live();
  const deliveries = [...prs.map((pr) => opened(repo, pr)), ...prs.map((pr) => merged(repo, pr))];
  const refused: number[] = [];
  let duplicated = 0;
  for (const [k, d] of deliveries.entries()) {
    const deliveryId = randomUUID();
    const targets = [instances[k % instances.length]];
    if (k % options.duplicateEvery === 0) {
      targets.push(instances[(k + 1) % instances.length]);
      duplicated += 1;
    }
    const sent = await Promise.all(
      targets.filter((i) => i !== undefined).map((to) => cluster.deliver({ ...d, deliveryId, to })),
    );
    for (const res of sent) if (res.status !== 200 && res.status !== 202) refused.push(res.status);
  }
  const expectMerged: ExpectedMessage[] = subs.flatMap((s) =>
    prs.map((pr) => ({ ...s, pr, state: 'merged' as const })),
  );
  const convergedMs = await waitUntil(() => isClean(tally(cluster.slack, expectMerged)), options.waitMs);
  await sleep(options.settleMs);
  return {
    deliveries: deliveries.length,
    duplicated,
    refused,
    convergedMs,
    final: tally(cluster.slack, expectMerged),
    unfinished: await unfinishedJobs(cluster.db),
  };
}
