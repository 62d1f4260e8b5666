import { designMinimum, SLACK_MINIMUM } from './design-minimum.js';
import type { PrLifeResult } from './pr-life.js';
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
  const n = r.workspaces;
  const slack: Record<string, number> = {};
  const writesByCollection: Record<string, number> = {};
  const readsByMethod: Record<string, number> = {};
  const readsByCollection: Record<string, number> = {};
  let reads = 0;
  let writes = 0;
  let commits = 0;
  for (const s of r.steps) {
    reads += s.firestore.reads;
    writes += s.firestore.writes;
    commits += s.firestore.rpcs['commit']?.calls ?? 0;
    for (const [c, k] of Object.entries(s.firestore.writesByCollection))
      writesByCollection[c] = (writesByCollection[c] ?? 0) + k;
    for (const [m, k] of Object.entries(s.firestore.readsByMethod)) readsByMethod[m] = (readsByMethod[m] ?? 0) + k;
    for (const [c, k] of Object.entries(s.firestore.readsByCollection))
      readsByCollection[c] = (readsByCollection[c] ?? 0) + k;
    for (const [m, t] of Object.entries(s.slack)) slack[m] = (slack[m] ?? 0) + t.calls;
  }
  for (const m of Object.keys(slack)) slack[m] = round((slack[m] ?? 0) / n, 2);
  for (const c of Object.keys(writesByCollection)) writesByCollection[c] = round((writesByCollection[c] ?? 0) / n, 2);
  for (const m of Object.keys(readsByMethod)) readsByMethod[m] = round((readsByMethod[m] ?? 0) / n, 2);
  for (const c of Object.keys(readsByCollection)) readsByCollection[c] = round((readsByCollection[c] ?? 0) / n, 2);
  return {
    reads: round(reads / n, 2),
    writes: round(writes / n, 2),
    commits: round(commits / n, 2),
    writesByCollection,
    readsByMethod,
    readsByCollection,
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
