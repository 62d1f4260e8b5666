import type { BacklogResult } from './backlog.js';
import type { BurstResult } from './burst.js';
import type { FanOutResult } from './fan-out.js';
import type { IngressResult } from './ingress.js';
import type { MemoryResult } from './memory.js';
import type { Target } from './targets.js';

export interface BenchResults {
  ingress: IngressResult[];
  backlog: BacklogResult;
  fanOut: FanOutResult[];
  burst: BurstResult;
  memory: MemoryResult;
}

const pad = (cells: Array<string | number | null>, widths: number[]) =>
  cells.map((c, i) => String(c ?? '-').padStart(widths[i] ?? 8)).join(' ');

/** Human-readable tables, then the targets, then one JSON line with every figure (for CI logs and scripts). */
export function printReport(r: BenchResults, targets: Target[], meta: Record<string, unknown>): void {
  const out: string[] = [];
  const widths = [8, 4, 7, 7, 7, 7];
  out.push(
    '',
    'Ingress: time to the webhook response (ms), new PRs one after another, earlier fan-out still running',
    pad(['fan-out', 'n', 'p50', 'p95', 'max', 'failed'], widths),
  );
  for (const s of r.ingress)
    out.push(pad([s.fanOut, s.latency.count, s.latency.p50, s.latency.p95, s.latency.max, s.failures], widths));
  const q = r.backlog;
  out.push(
    `  their posts: ${q.posted} of ${q.posts} in Slack after ${q.seconds} s (${q.postsPerSecond} posts/s)${q.drained ? '' : ', the rest left queued'}`,
  );
  out.push(
    '',
    'Fan-out completion: delivery sent -> last workspace posted (ms), one delivery at a time',
    pad(['fan-out', 'n', 'p50', 'max', 'missing'], [8, 4, 7, 7, 8]),
  );
  for (const s of r.fanOut)
    out.push(pad([s.fanOut, s.completion.count, s.completion.p50, s.completion.max, s.incomplete], [8, 4, 7, 7, 8]));
  const b = r.burst;
  out.push(
    '',
    `Burst: ${b.events} events for one PR across ${b.workspaces} workspaces`,
    `  Slack calls per workspace: min ${b.callsPerWorkspace.min}, mean ${b.callsPerWorkspace.mean}, max ${b.callsPerWorkspace.max}`,
    `  by method (all workspaces): ${Object.entries(b.callsByMethod)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
    `  converged: ${b.converged}/${b.workspaces} in ${b.convergedMs ?? '-'} ms`,
  );
  const m = r.memory;
  out.push(
    '',
    `Memory (after full GC), ${m.deliveries} deliveries`,
    `  heap used: ${m.before.heapUsedMiB} -> ${m.after.heapUsedMiB} MiB (${m.heapGrowthMiB >= 0 ? '+' : ''}${m.heapGrowthMiB})`,
    `  rss:       ${m.before.rssMiB} -> ${m.after.rssMiB} MiB`,
  );
  out.push('', 'Targets');
  for (const t of targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.actual} (target ${t.target})`);
  out.push('');
  console.log(out.join('\n'));
  // The PR numbers are bookkeeping, not figures.
  const ingress = r.ingress.map(({ prs: _prs, ...s }) => s);
  console.log(JSON.stringify({ ...meta, ...r, ingress, targets, pass: targets.every((t) => t.pass) }));
}
