import { cpus } from 'node:os';
import { measureBurst } from './burst.js';
import { createPrNumbers } from './deliveries.js';
import { useEmulator } from './emulator.js';
import { measureFanOut } from './fan-out.js';
import { measureIngress } from './ingress.js';
import { measureMemory } from './memory.js';
import { printReport, type BenchResults } from './report.js';
import { createPostCounter } from './slack-posts.js';
import { checkTargets } from './targets.js';
import { createBenchWorld } from './world.js';

/**
 * `npm run bench`: the whole app (createTestApp: real routes, job worker and Firestore emulator, fake Slack on
 * loopback) under real signed deliveries. Prints tables, PASS/FAIL per target and one JSON line; exits 1 on a FAIL.
 */
const PLAN = {
  workspaces: 100,
  ingress: { fanOuts: [1, 25, 100], deliveries: 30, drainTimeoutMs: 120_000 },
  fanOut: { fanOuts: [25, 100], runs: 5, timeoutMs: 30_000 },
  burst: { fanOut: 10, timeoutMs: 30_000 },
  memory: { fanOut: 1, warmUp: 50, deliveries: 500, drainTimeoutMs: 60_000 },
  /** The whole run must end; a stuck stage fails the bench instead of hanging CI. */
  deadlineMs: 300_000,
} as const;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// Only the emulator: never probe a cloud metadata server from a benchmark.
process.env['METADATA_SERVER_DETECTION'] = 'none';
setTimeout(() => {
  progress(`FAIL: did not finish within ${PLAN.deadlineMs / 1000} s`);
  process.exit(1);
}, PLAN.deadlineMs).unref();

const started = performance.now();
const emulator = await useEmulator(process.env);
let pass = false;
try {
  progress(`Firestore emulator on ${emulator.host}; seeding ${PLAN.workspaces} workspaces`);
  const w = await createBenchWorld({
    emulatorHost: emulator.host, workspaces: PLAN.workspaces, fanOuts: [...new Set([...PLAN.ingress.fanOuts, ...PLAN.fanOut.fanOuts, PLAN.burst.fanOut, PLAN.memory.fanOut])],
  });
  try {
    const counter = createPostCounter(w.t.slack);
    const nextPr = createPrNumbers();
    const ingress = [];
    for (const fanOut of PLAN.ingress.fanOuts) {
      progress(`ingress, fan-out ${fanOut}`);
      ingress.push(await measureIngress(w, { ...PLAN.ingress, fanOut, counter, nextPr }));
    }
    const fanOut = [];
    for (const n of PLAN.fanOut.fanOuts) {
      progress(`fan-out completion, ${n} workspaces`);
      fanOut.push(await measureFanOut(w, { ...PLAN.fanOut, fanOut: n, counter, nextPr }));
    }
    progress('burst');
    const burst = await measureBurst(w, { ...PLAN.burst, prNumber: nextPr() });
    progress(`memory, ${PLAN.memory.deliveries} deliveries`);
    const memory = await measureMemory(w, { ...PLAN.memory, counter, nextPr });
    const results: BenchResults = { ingress, fanOut, burst, memory };
    const targets = checkTargets(results);
    printReport(results, targets, { node: process.version, cpus: cpus().length, totalSeconds: Math.round((performance.now() - started) / 1000) });
    pass = targets.every((t) => t.pass);
  } finally {
    await w.t.close();
  }
} finally {
  await emulator.stop();
}
process.exitCode = pass ? 0 : 1;
