import { openedDelivery, timeDelivery, type createPrNumbers } from './deliveries.js';
import { createGc } from './gc.js';
import { whenTrue, type PostCounter } from './slack-posts.js';
import { round, toMiB } from './stats.js';
import { repoFor, type BenchWorld } from './world.js';

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

// A few at a time, as GitHub sends them for a busy organisation; bounded so the run stays short.
const SENDERS = 5;

/**
 * Process memory (app, its Firestore client and the in-process fake Slack) after a full GC, before and after
 * `deliveries` new PRs have been accepted and posted. A warm-up first, so JIT code and connection pools count
 * as the baseline, not as growth. The fake's call log is emptied before each snapshot (it is test state).
 */
export async function measureMemory(
  w: BenchWorld,
  o: { fanOut: number; deliveries: number; warmUp: number; counter: PostCounter; nextPr: ReturnType<typeof createPrNumbers>; drainTimeoutMs: number },
): Promise<MemoryResult> {
  const gc = createGc();
  const repo = repoFor(o.fanOut);
  const run = async (count: number) => {
    const prs = Array.from({ length: count }, () => o.nextPr());
    let failures = 0;
    let next = 0;
    const sender = async () => {
      while (next < prs.length) {
        const pr = prs[next++] ?? 0;
        if ((await timeDelivery(w.t, openedDelivery(repo, pr))).status !== 202) failures++;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    await whenTrue(() => prs.every((pr) => o.counter.posts(repo, pr) >= o.fanOut), o.drainTimeoutMs, 50);
    return { failures, unposted: prs.filter((pr) => o.counter.posts(repo, pr) < o.fanOut).length };
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
  return { deliveries: o.deliveries, before, after, heapGrowthMiB: round(after.heapUsedMiB - before.heapUsedMiB), unposted, failures };
}
