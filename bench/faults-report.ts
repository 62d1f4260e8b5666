import { countTally, type Tally } from '../test/faults/support/tally.js';
import type { IdleReads } from './faults-idle.js';

/** One fault scenario's line: what users would see per channel × PR, and what else it must hold to. */
export interface FaultRow {
  scenario: string;
  tally: Tally;
  /** Other checks of the scenario (exit code and time, dead jobs), each passing or not. */
  checks: Array<{ name: string; actual: string; pass: boolean }>;
  seconds: number;
}

const isPass = (r: FaultRow) =>
  r.tally.lost.length + r.tally.doubled.length + r.tally.wrong.length === 0 && r.checks.every((c) => c.pass);

const pad = (cells: Array<string | number>, widths: number[]) =>
  cells.map((c, i) => String(c).padEnd(widths[i] ?? 8)).join(' ');

/** The table, the failures named, and one JSON line with every figure; returns whether every scenario passed. */
export function printFaultReport(rows: FaultRow[], idle: IdleReads, meta: Record<string, unknown>): boolean {
  const widths = [34, 12, 5, 8, 6, 5, 6];
  const out = [
    '',
    'Faults: lost / doubled per channel × PR, and the final message state after the merge',
    pad(['scenario', 'channel×PR', 'lost', 'doubled', 'wrong', 'secs', 'result'], widths),
  ];
  for (const r of rows) {
    const t = countTally(r.tally);
    out.push(pad([r.scenario, t.checked, t.lost, t.doubled, t.wrong, r.seconds, isPass(r) ? 'PASS' : 'FAIL'], widths));
    for (const c of r.checks) out.push(`    ${c.pass ? 'ok  ' : 'FAIL'} ${c.name}: ${c.actual}`);
    for (const label of [
      ...r.tally.lost.map((l) => `lost ${l}`),
      ...r.tally.doubled.map((l) => `doubled ${l}`),
      ...r.tally.wrong.map((l) => `wrong ${l}`),
    ].slice(0, 10)) {
      out.push(`    ${label}`);
    }
  }
  out.push(
    '',
    `Firestore reads per idle instance-hour: ${idle.perHour} (${idle.reads} reads by the queue of an idle instance over ${idle.windowSeconds} s)`,
    '  before issue 9: one query a second per instance, about 3,600 an hour (about 86,000 a day, as the issue measured)',
    '',
  );
  console.log(out.join('\n'));
  const pass = rows.every(isPass);
  console.log(
    JSON.stringify({
      ...meta,
      faults: rows.map((r) => ({
        scenario: r.scenario,
        ...countTally(r.tally),
        checks: r.checks,
        seconds: r.seconds,
        pass: isPass(r),
      })),
      idleReads: idle,
      pass,
    }),
  );
  return pass;
}
