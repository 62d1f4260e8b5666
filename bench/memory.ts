import { openedDelivery, sendDeliveries, type PrNumbers } from './deliveries.js';
import { createGc } from './gc.js';
import { allPosted, type PostCounter } from './slack-posts.js';
import { round, toMiB } from './stats.js';
import { soloRepo, type BenchWorld } from './world.js';

export interface MemorySnapshot {
  rssMiB: number;
  heapUsedMiB: number;
}

export interface MemoryResult {
  deliveries: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
  heapGrowthMiB: number;
  /** Deliveries whose post had not reached Slack when the wait ended. */
  unposted: number;
  failures: number;
}

// A few at a time, as GitHub sends them for a busy organisation.
const SENDERS = 5;

/**
 * Process memory (app, its Firestore client and the in-process fake Slack) after a full GC, before and after
 * `deliveries` new PRs have been accepted and posted. They go round-robin over the workspaces' solo repos, so
 * Slack's one-post-a-second-per-channel pacing stays out of the way. A warm-up first, so JIT code and connection
 * pools count as the baseline, not as growth. The fake's call log is emptied before each snapshot (test state).
 */
export async function measureMemory(
  w: BenchWorld,
  o: { deliveries: number; warmUp: number; budgetMs: number; counter: PostCounter; nextPr: PrNumbers },
): Promise<MemoryResult> {
  const gc = createGc();
  const run = async (count: number) => {
    const sends = Array.from({ length: count }, (_, i) => ({
      repo: soloRepo(i % w.teams.length),
      prs: [o.nextPr()],
      fanOut: 1,
    }));
    const deadline = performance.now() + o.budgetMs;
    const results = await sendDeliveries(
      w.t,
      sends.map((s) => openedDelivery(s.repo, s.prs[0] ?? 0)),
      { senders: SENDERS, budgetMs: o.budgetMs },
    );
    await allPosted(o.counter, sends, Math.max(0, deadline - performance.now()));
    const unposted = sends.filter((s) => o.counter.posts(s.repo, s.prs[0] ?? 0) < 1).length;
    return { failures: results.filter((r) => r.status !== 202).length, unposted };
  };
  const snapshot = (): MemorySnapshot => {
    o.counter.forget();
    gc();
    const m = process.memoryUsage();
    return { rssMiB: toMiB(m.rss), heapUsedMiB: toMiB(m.heapUsed) };
  };

  await run(o.warmUp);
  const before = snapshot();
  const { failures, unposted } = await run(o.deliveries);
  const after = snapshot();
  return {
    deliveries: o.deliveries,
    before,
    after,
    heapGrowthMiB: round(after.heapUsedMiB - before.heapUsedMiB),
    unposted,
    failures,
  };
}
