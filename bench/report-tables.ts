import type { FanOutResult } from './fan-out.js';
import type { IngressResult } from './ingress.js';
import type { LookupRow } from './lookup.js';
import type { ScaleOutRow } from './scale-out.js';
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
      r.incomplete,
    ]),
  );
}

/** Where one fan-out's time went: each workspace's own chain of Firestore and Slack round trips, and the rest. */
export function breakdown(r: FanOutResult): string[] {
  const run = r.lastRun;
  if (!run) return ['(no complete run to break down)'];
  const n = r.fanOut;
  const fs = Object.entries(run.firestore.rpcs).filter(([m]) => m !== 'listen');
  const fsCalls = fs.reduce((a, [, t]) => a + t.calls, 0);
  const fsMs = fs.reduce((a, [, t]) => a + t.ms, 0);
  const sl = Object.entries(run.slack);
  const slCalls = sl.reduce((a, [, t]) => a + t.calls, 0);
  const slMs = sl.reduce((a, [, t]) => a + t.ms, 0);
  const chainMs = (fsMs + slMs) / n;
  const mean = (ms: number, calls: number) => (calls > 0 ? round(ms / calls) : 0);
  return [
    `Fan-out to ${n} workspaces, last run: ${run.wallMs} ms from the delivery sent to the last post.`,
    '',
    ...table(
      ['what', 'round trips', 'mean ms', 'total ms', 'per workspace', 'per workspace ms'],
      [
        ...fs.map(([m, t]) => [
          `Firestore ${m}`,
          t.calls,
          mean(t.ms, t.calls),
          round(t.ms, 0),
          round(t.calls / n),
          round(t.ms / n),
        ]),
        ...sl.map(([m, t]) => [
          `Slack ${m}`,
          t.calls,
          mean(t.ms, t.calls),
          round(t.ms, 0),
          round(t.calls / n),
          round(t.ms / n),
        ]),
      ],
    ),
    '',
    `Firestore: ${fsCalls} round trips (${run.firestore.reads} documents read, ${run.firestore.writes} written, ` +
      `${run.firestore.aborted} aborted), ${round(fsMs, 0)} ms in all; Slack: ${slCalls} calls, ${round(slMs, 0)} ms in all.`,
    `One workspace's own chain (its share of both, done one after another) is about ${round(chainMs, 0)} ms; ` +
      `with the ${run.wallMs} ms wall time that means about ${round((fsMs + slMs) / Math.max(1, run.wallMs))} ` +
      `round trips were in flight on average, and ${Math.max(0, round(run.wallMs - chainMs, 0))} ms of the wall time ` +
      'was spent waiting (for a worker slot, a claim, the event loop, or a poll) rather than in a round trip of its own.',
  ];
}

export function scaleOutTable(rows: readonly ScaleOutRow[]): string[] {
  return table(
    [
      'instances',
      'deliveries',
      'channels',
      'drain s',
      'after last ack s',
      'pacing floor s',
      'drain ×',
      'posted',
      'lock timeouts',
      'per delivery',
      'peak RSS MiB',
    ],
    rows.map((r) => [
      r.instances,
      r.deliveries,
      r.channels,
      r.drainSeconds,
      r.afterLastAckSeconds,
      r.floorSeconds,
      r.drainSeconds === null ? null : ratio(r.drainSeconds, r.floorSeconds),
      r.posted,
      r.contention,
      r.contention === null ? null : round(r.contention / r.deliveries, 2),
      r.peakRssMiB,
    ]),
  );
}

export function lookupTable(rows: readonly LookupRow[]): string[] {
  const s = (x: Summary) => `${x.p50} / ${x.max}`;
  return table(
    ['subscribed repos', 'workspacesForRepo p50 / max ms', 'scan p50 / max ms', 'scan ×', 'found (index / scan)'],
    rows.map((r) => [
      r.repos,
      s(r.indexed),
      s(r.scan),
      ratio(r.scan.p50, r.indexed.p50),
      `${r.found.indexed} / ${r.found.scan}`,
    ]),
  );
}
