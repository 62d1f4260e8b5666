import { cpus } from 'node:os';
import { runDayLongOutage } from '../test/faults/scenarios/day-long-outage.js';
import { runKillAfterPost } from '../test/faults/scenarios/kill-after-post.js';
import { runRateLimited } from '../test/faults/scenarios/rate-limited.js';
import { runSigtermInFlight } from '../test/faults/scenarios/sigterm-in-flight.js';
import { startFaultCluster, type FaultCluster } from '../test/faults/support/fault-cluster.js';
import { useEmulator } from './emulator.js';
import type { FaultRow } from './faults-report.js';
import { printFaultReport } from './faults-report.js';
import { startIdleInstance } from './faults-idle.js';

/**
 * `npm run bench:faults`: the faults of issue 9 at full size, on real server processes (src/main.ts) sharing one
 * Firestore emulator, with the fake Slack and fake GitHub on loopback; the day-long outage runs the whole app in
 * this process on a simulated clock. Prints a table and one JSON line; exits 1 if anything was lost, doubled or
 * wrong, or a scenario's own check failed.
 */
const HOUR_MS = 60 * 60 * 1000;
const PLAN = {
  sigterm: { channels: 6, postWaitMs: 30_000, mergeWaitMs: 30_000, settleMs: 5_000 },
  killAfterPost: { channels: 50, acceptedBeforeKill: 10, recoverWaitMs: 120_000, mergeWaitMs: 60_000, settleMs: 5_000 },
  rateLimited: {
    busy: 4,
    minLimitedMs: 90_000,
    refusals: 0,
    maxLimitedMs: 90_000,
    postWaitMs: 30_000,
    settleMs: 5_000,
  },
  outage: { channels: 10, outageMs: 24 * HOUR_MS, stepMs: 10 * 60_000 },
  /** An idle instance's window: longer than the queue's 5-minute safety look, so the figure includes one. */
  idleMinWindowMs: 330_000,
  deadlineMs: 15 * 60_000,
} as const;

const progress = (message: string) => process.stderr.write(`[bench:faults] ${message}\n`);
const seconds = (since: number) => Math.round((performance.now() - since) / 1000);

async function withCluster<T>(emulatorHost: string, prefix: string, run: (c: FaultCluster) => Promise<T>): Promise<T> {
  const cluster = await startFaultCluster({ emulatorHost, projectPrefix: prefix, logLevel: 'warn' });
  try {
    return await run(cluster);
  } finally {
    await cluster.close();
  }
}

async function runAll(emulatorHost: string): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  let t0 = performance.now();
  progress(`SIGTERM with ${PLAN.sigterm.channels} posts in flight`);
  const s = await withCluster(emulatorHost, 'bench-sigterm', (c) =>
    runSigtermInFlight(c, { ...PLAN.sigterm, repo: 'bench-org/deploy', pr: 1, teamPrefix: 'BSIG' }),
  );
  rows.push({
    scenario: `SIGTERM, ${s.inFlight} posts in flight`,
    tally: s.final,
    seconds: seconds(t0),
    checks: [
      {
        name: 'exit code and time',
        actual: `${s.exit.code} after ${s.exit.ms} ms`,
        pass: s.exit.code === 0 && s.exit.ms < 10_000,
      },
      {
        name: 'all posted after SIGTERM',
        actual: s.allPostedMs === null ? 'not all' : `${s.allPostedMs} ms`,
        pass: s.allPostedMs !== null,
      },
    ],
  });

  t0 = performance.now();
  progress(`kill -9 right after Slack accepted posts, ${PLAN.killAfterPost.channels} channels`);
  const k = await withCluster(emulatorHost, 'bench-kill9', async (c) => {
    await Promise.all(['a', 'b', 'c'].map((name) => c.spawn(name)));
    return runKillAfterPost(c, { ...PLAN.killAfterPost, repo: 'bench-org/crash', pr: 2, teamPrefix: 'BK' });
  });
  rows.push({
    scenario: `kill -9, ${k.acceptedUnanswered} posts unanswered`,
    tally: k.final,
    seconds: seconds(t0),
    checks: [
      {
        name: 'recovered after the kill',
        actual: k.recoveredMs === null ? 'not all posted' : `${k.recoveredMs} ms`,
        pass: k.recoveredMs !== null,
      },
    ],
  });

  t0 = performance.now();
  progress(`${PLAN.rateLimited.minLimitedMs / 1000} s of 429 + Retry-After: 1`);
  const r = await withCluster(emulatorHost, 'bench-429', async (c) => {
    await Promise.all(['a', 'b', 'c'].map((name) => c.spawn(name)));
    return runRateLimited(c, { ...PLAN.rateLimited, repo: 'bench-org/busy', pr: 3, teamPrefix: 'BRL' });
  });
  rows.push({
    scenario: `${Math.round(r.limitedMs / 1000)} s of 429s`,
    tally: r.final,
    seconds: seconds(t0),
    checks: [
      {
        name: 'dead jobs',
        actual: String(r.deadAtEnd.length),
        pass: r.deadAfterStretch.length + r.deadAtEnd.length === 0,
      },
      { name: 'refused posts per busy job (fewest)', actual: String(r.fewestRefusals), pass: true },
      {
        name: 'workspace not limited posted after',
        actual: r.calmPostedMs === null ? 'never' : `${r.calmPostedMs} ms`,
        pass: r.calmPostedMs !== null,
      },
    ],
  });

  t0 = performance.now();
  progress('24 h of Slack 5xx on a simulated clock');
  const o = await runDayLongOutage({
    ...PLAN.outage,
    repo: 'bench-org/outage',
    pr: 4,
    teamPrefix: 'BOUT',
    emulatorHost,
  });
  rows.push({
    scenario: `${o.outageMs / HOUR_MS} h of 5xx (simulated)`,
    tally: o.final,
    seconds: seconds(t0),
    checks: [
      {
        name: 'dead jobs',
        actual: String(o.deadAtEnd.length),
        pass: o.deadAfterOutage.length + o.deadAtEnd.length === 0,
      },
      { name: 'tries per job during the outage (fewest)', actual: String(o.fewestTries), pass: true },
      {
        name: 'posted after Slack came back',
        actual:
          o.postedAfterMs === null
            ? 'never'
            : `${Math.round(o.postedAfterMs / 60_000)} min (simulated, in ${PLAN.outage.stepMs / 60_000}-minute steps)`,
        pass: o.postedAfterMs !== null,
      },
    ],
  });
  return rows;
}

// Only the emulator: never probe a cloud metadata server from a benchmark.
process.env['METADATA_SERVER_DETECTION'] = 'none';
let stopEmulator = async () => undefined as void;
setTimeout(() => {
  progress(`FAIL: did not finish within ${PLAN.deadlineMs / 1000} s`);
  void stopEmulator().finally(() => process.exit(1));
}, PLAN.deadlineMs).unref();

const started = performance.now();
const emulator = await useEmulator(process.env);
stopEmulator = () => emulator.stop();
try {
  progress(`Firestore emulator on ${emulator.host}; an idle instance counts its reads throughout`);
  const idle = await startIdleInstance({ emulatorHost: emulator.host });
  // A failing stage throws: the process then ends with the error (and the emulator stopped) without the report.
  const rows = await runAll(emulator.host);
  progress('waiting for the idle instance to finish its window');
  const idleReads = await idle.stop({ minWindowMs: PLAN.idleMinWindowMs });
  const meta = { node: process.version, cpus: cpus().length, totalSeconds: seconds(started) };
  process.exitCode = printFaultReport(rows, idleReads, meta) ? 0 : 1;
} finally {
  await emulator.stop();
}
