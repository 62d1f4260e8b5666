import type { FanOutResult } from './fan-out.js';
import type { IngressResult } from './ingress.js';
import type { LookupRow } from './lookup.js';
import type { CpuSeconds, ScaleOutRow } from './scale-out.js';
import { ratio, round, type Summary } from './stats.js';

/** One markdown table. */
export function table(head: string[], rows: Array<Array<string | number | null>>): string[] {
  const cell = (c: string | number | null) => (c === null || Number.isNaN(c) ? '-' : String(c));
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

export function ingressTable(rows: readonly IngressResult[]): string[] {
  return table(
    [
      'concurrency',
      'n',
      'p50 ms',
      'p99 ms',
      'bare batch p50',
      'bare batch p99',
      'p50 ×',
      'p99 ×',
      'background Slack calls',
      'failed',
      'unsent',
    ],
    rows.map((r) => [
      r.concurrency,
      r.latency.count,
      r.latency.p50,
      r.latency.p99,
      r.floor.p50,
      r.floor.p99,
      ratio(r.latency.p50, r.floor.p50),
      ratio(r.latency.p99, r.floor.p99),
      r.backgroundCalls,
      r.failures,
      r.unsent,
    ]),
  );
}

export function fanOutTable(rows: readonly FanOutResult[], floorMs: number): string[] {
  return table(
    ['workspaces', 'runs', 'p50 ms', 'max ms', 'floor ms', 'p50 ×', 'most posts in flight', 'incomplete'],
    rows.map((r) => [
      r.fanOut,
      r.completion.count,
      r.completion.p50,
      r.completion.max,
      round(floorMs),
      ratio(r.completion.p50, floorMs),
      r.maxInFlight,
      r.incomplete === 0 ? 0 : `${r.incomplete} (last: ${r.postedAtTimeout ?? 0} of ${r.fanOut} posted in time)`,
    ]),
  );
}

export function scaleOutTable(rows: readonly ScaleOutRow[]): string[] {
  return table(
    [
      'instances',
      'deliveries',
      'channels',
      'stored in s',
      'drain s',
      'every channel posted s (CPU s: emulator / servers / bench; cores busy)',
      'pacing floor s',
      'drain ×',
      'posted',
      'lock timeouts',
      'per job',
      'claims lost (per job)',
      'CPU s: emulator / servers / bench',
      'cores busy',
      'peak RSS MiB',
    ],
    rows.map((r) => [
      r.instances,
      r.deliveries,
      r.channels,
      r.storeSeconds,
      r.drainSeconds,
      r.firstPostsSeconds === null
        ? null
        : `${r.firstPostsSeconds} (${cpuSplit(r.firstPostsCpu)}; ${r.firstPostsCoresBusy ?? '-'})`,
      r.floorSeconds,
      r.drainSeconds === null ? null : ratio(r.drainSeconds, r.floorSeconds),
      r.posted,
      r.contention,
      r.contention === null ? null : round(r.contention / r.jobs, 2),
      r.claimsLost === null ? null : `${r.claimsLost} (${round(r.claimsLost / r.jobs, 2)})`,
      cpuSplit(r.cpu),
      r.coresBusy === null ? null : `${r.coresBusy} of ${r.cores}`,
      r.peakRssMiB,
    ]),
  );
}

/** CPU seconds as `emulator / servers / bench`. */
export const cpuSplit = (cpu: CpuSeconds | null) =>
  cpu === null ? '-' : `${cpu.emulator ?? '-'} / ${cpu.servers ?? '-'} / ${cpu.bench}`;

export function lookupTable(rows: readonly LookupRow[]): string[] {
  const s = (x: Summary) => `${x.p50} / ${x.max}`;
  return table(
    [
      'subscribed repos',
      'workspacesForRepo p50 / max ms',
      'scan p50 / max ms',
      'scan ×',
      'documents read (index / scan)',
      'found (index / scan)',
    ],
    rows.map((r) => [
      r.repos,
      s(r.indexed),
      s(r.scan),
      ratio(r.scan.p50, r.indexed.p50),
      `${r.read.indexed} / ${r.read.scan}`,
      `${r.found.indexed} / ${r.found.scan}`,
    ]),
  );
}
