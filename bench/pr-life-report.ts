import { designMinimum, SLACK_MINIMUM } from './design-minimum.js';
import { sumCounts } from './firestore-tally.js';
import type { PrLifeResult, PrLifeStep } from './pr-life.js';
import { table } from './report-tables.js';
import { round } from './stats.js';

export interface PrLifeTotals {
  reads: number;
  writes: number;
  commits: number;
  writesByCollection: Record<string, number>;
  readsByMethod: Record<string, number>;
  readsByCollection: Record<string, number>;
  slack: Record<string, number>;
  slackCalls: number;
}

/** Per workspace over the whole life: the step figures summed and divided by the workspaces that follow the repo. */
export function perWorkspace(r: PrLifeResult): PrLifeTotals {
  const share = (n: number) => round(n / r.workspaces, 2);
  const shares = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, share(n)]));
  const total = (pick: (s: PrLifeStep) => number) => share(r.steps.reduce((sum, s) => sum + pick(s), 0));
  const counts = (pick: (s: PrLifeStep) => Record<string, number>) => shares(sumCounts(r.steps.map(pick)));
  const slack = counts((s) => Object.fromEntries(Object.entries(s.slack).map(([m, t]) => [m, t.calls])));
  return {
    reads: total((s) => s.firestore.reads),
    writes: total((s) => s.firestore.writes),
    commits: total((s) => s.firestore.rpcs['commit']?.calls ?? 0),
    writesByCollection: counts((s) => s.firestore.writesByCollection),
    readsByMethod: counts((s) => s.firestore.readsByMethod),
    readsByCollection: counts((s) => s.firestore.readsByCollection),
    slack,
    slackCalls: round(
      Object.values(slack).reduce((a, b) => a + b, 0),
      2,
    ),
  };
}

const methods = (calls: Record<string, number>) =>
  Object.entries(calls)
    .map(([m, c]) => `${m} ${c}`)
    .join(', ') || 'none';

export function prLifeTable(r: PrLifeResult): string[] {
  const total = perWorkspace(r);
  const min = designMinimum(r.workspaces);
  return [
    ...table(
      ['step', 'reads', 'writes', 'commits', 'aborted', 'Slack calls (all workspaces)'],
      r.steps.map((s) => [
        s.step,
        s.firestore.reads,
        s.firestore.writes,
        s.firestore.rpcs['commit']?.calls ?? 0,
        s.firestore.aborted,
        methods(Object.fromEntries(Object.entries(s.slack).map(([m, t]) => [m, t.calls]))),
      ]),
    ),
    '',
    ...table(
      ['per workspace per PR life', 'measured', 'design minimum', '×'],
      [
        ['Firestore reads', total.reads, round(min.reads, 2), round(total.reads / min.reads, 2)],
        ['Firestore writes', total.writes, round(min.writes, 2), round(total.writes / min.writes, 2)],
        ['Firestore commits', total.commits, '-', '-'],
        ['reads by RPC', methods(total.readsByMethod), '-', '-'],
        ['reads by collection', methods(total.readsByCollection), '-', '-'],
        ['writes by collection', methods(total.writesByCollection), '-', '-'],
        [
          'Slack calls',
          `${total.slackCalls} (${methods(total.slack)})`,
          `${min.slackCalls} (${methods(SLACK_MINIMUM)})`,
          round(total.slackCalls / min.slackCalls, 2),
        ],
      ],
    ),
    ...(r.unsettled > 0
      ? ['', `${r.unsettled} step(s) had not gone quiet when counted: their figures may be short.`]
      : []),
  ];
}

/** The first PR's totals after the start, next to the steady figures. */
export function firstLifeLine(first: PrLifeResult): string {
  const per = perWorkspace(first);
  return (
    `The first PR after the start, per workspace: ${per.reads} reads (${methods(per.readsByCollection)}), ` +
    `${per.writes} writes, ${per.slackCalls} Slack calls.`
  );
}
