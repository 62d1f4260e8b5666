import { designMinimum } from './design-minimum.js';
import type { FanOutResult } from './fan-out.js';
import type { IngressResult } from './ingress.js';
import type { PrLifeResult } from './pr-life.js';
import { perWorkspace } from './pr-life-report.js';
import { cpuSplit } from './report-tables.js';
import type { ScaleOutRow } from './scale-out.js';
import { percentile, ratio, round } from './stats.js';

export interface Target {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

/** The median of a figure over some runs (nearest rank); null when a run has none (e.g. did not drain). */
function medianOf(rows: readonly ScaleOutRow[], figure: (row: ScaleOutRow) => number | null): number | null {
  const values = rows.map(figure);
  if (values.length === 0 || values.some((v) => v === null)) return null;
  // Not rounded: a per-job figure such as 0.04 would round to 0.
  return percentile(
    values.map((v) => v ?? 0),
    50,
  );
}

/** Issue 11's "done when", checked against this run's own floors. */
export function checkTargets(r: {
  ingress: readonly IngressResult[];
  fanOut: readonly FanOutResult[];
  fanOutFloorMs: number;
  scaleOut: readonly ScaleOutRow[];
  prLife: PrLifeResult;
}): Target[] {
  const targets: Target[] = [];
  const hundred = r.fanOut.find((f) => f.fanOut === 100);
  const x = hundred ? ratio(hundred.completion.p50, r.fanOutFloorMs) : Number.NaN;
  targets.push({
    name: 'fan-out to 100 workspaces, p50 against one Slack call + one Firestore round trip',
    target: '<= 5×',
    actual: hundred?.incomplete ? `${hundred.incomplete} run(s) incomplete` : `${x}×`,
    pass: x <= 5 && hundred?.incomplete === 0,
  });
  const c1 = r.ingress.find((i) => i.concurrency === 1);
  const y = c1 ? ratio(c1.latency.p50, c1.floor.p50) : Number.NaN;
  targets.push({
    name: 'ingress p50 at concurrency 1 against a bare batch write, under background work',
    target: '<= 3×',
    actual: `${y}×`,
    pass: y <= 3 && c1?.failures === 0 && c1.unsent === 0,
  });
  const ones = r.scaleOut.filter((s) => s.instances === 1);
  const threes = r.scaleOut.filter((s) => s.instances === 3);
  const s1 = medianOf(ones, (s) => s.drainSeconds);
  const s3 = medianOf(threes, (s) => s.drainSeconds);
  const runs = (rows: readonly ScaleOutRow[]) => rows.map((s) => s.drainSeconds ?? 'not drained').join(', ');
  const firsts = (rows: readonly ScaleOutRow[]) =>
    rows
      .map(
        (s) => `${s.firstPostsSeconds ?? '-'} s (${cpuSplit(s.firstPostsCpu)}; ${s.firstPostsCoresBusy ?? '-'} cores)`,
      )
      .join('; ');
  targets.push({
    name: 'a backlog drains with 3 instances no slower than with 1 (median of the runs)',
    target: '3 instances <= 1 instance',
    actual:
      `1: ${s1 ?? 'not drained'} s (${runs(ones)}), 3: ${s3 ?? 'not drained'} s (${runs(threes)}); ` +
      `every channel's first post, with the CPU s used (emulator / servers / bench) and the cores busy until then: 1: ${firsts(ones)}; 3: ${firsts(threes)}`,
    pass: s1 !== null && s3 !== null && s3 <= s1,
  });
  const one = ones[0];
  const three = threes[0];
  // The measure where the emulator limits what wall time can show: transactions kept waiting by another's lock.
  const timeouts = threes.map((s) => s.contention);
  const lost = medianOf(threes, (s) => (s.claimsLost === null ? null : s.claimsLost / s.jobs));
  const perJob =
    three && timeouts.every((c) => c !== null) ? Math.max(...timeouts.map((c) => c ?? 0)) / three.jobs : null;
  targets.push({
    name: 'contention with 3 instances: emulator lock timeouts per job (the worst run)',
    target: '<= 0.01',
    actual:
      perJob === null
        ? 'not measured'
        : `${round(perJob, 3)} (claims lost to another instance per job, median run: ${lost === null ? '-' : round(lost, 2)}; cores busy: 1 instance ${one?.coresBusy ?? '-'}, 3 instances ${three?.coresBusy ?? '-'} of ${three?.cores ?? '-'})`,
    pass: perJob !== null && perJob <= 0.01,
  });
  const per = perWorkspace(r.prLife);
  const min = designMinimum(r.prLife.workspaces);
  targets.push({
    name: `Firestore operations per PR life per workspace (${r.prLife.workspaces} workspaces)`,
    target: `<= ${min.reads} reads, <= ${min.writes} writes`,
    actual: `${per.reads} reads, ${per.writes} writes`,
    pass: per.reads <= min.reads && per.writes <= min.writes && r.prLife.unsettled === 0,
  });
  targets.push({
    name: 'Slack calls per PR life per workspace',
    target: `<= ${min.slackCalls}`,
    actual: String(per.slackCalls),
    pass: per.slackCalls <= min.slackCalls,
  });
  return targets;
}
