import { cpus } from 'node:os';
import { watchBacklog } from './backlog.js';
import { measureBurst } from './burst.js';
import { createPrNumbers } from './deliveries.js';
import { useEmulator } from './emulator.js';
import { measureFanOut } from './fan-out.js';
import { measureIngress } from './ingress.js';
import { measureMemory } from './memory.js';
import { printReport } from './report.js';
import { createPostCounter } from './slack-posts.js';
import { checkTargets } from './targets.js';
import { createBenchWorld, repoFor, type BenchWorld } from './world.js';

/**
 * `npm run bench`: the whole app (createTestApp: real routes, job worker and Firestore emulator, fake Slack on
 * loopback) under real signed deliveries. Prints tables, PASS/FAIL per target and one JSON line; exits 1 on a FAIL.
 */
const PLAN = {
  workspaces: 100,
  fanOut: { fanOuts: [25, 100], runs: 5, timeoutMs: 30_000 },
  burst: { fanOut: 10, timeoutMs: 30_000 },
  memory: { warmUp: 50, deliveries: 500, budgetMs: 60_000 },
  // Last: its backlog (30 × 126 posts) takes minutes to post at Slack's pace, so it is watched for a while, not awaited.
  ingress: { fanOuts: [1, 25, 100], deliveries: 30, budgetMs: 60_000, backlogWatchMs: 45_000 },
  /** The whole run must end; a stuck stage fails the bench instead of hanging CI. */
  deadlineMs: 300_000,
} as const;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function runStages(w: BenchWorld) {
  const counter = createPostCounter(w.t.slack);
  const nextPr = createPrNumbers();
  const fanOut = [];
  for (const n of PLAN.fanOut.fanOuts) {
    progress(`fan-out completion, ${n} workspaces`);
    fanOut.push(await measureFanOut(w, { ...PLAN.fanOut, fanOut: n, counter, nextPr }));
  }
  progress('burst');
  const burst = await measureBurst(w, { ...PLAN.burst, prNumber: nextPr() });
  progress(`memory, ${PLAN.memory.deliveries} deliveries`);
  const memory = await measureMemory(w, { ...PLAN.memory, counter, nextPr });
  const ingress = [];
  const ingressStarted = performance.now();
  for (const n of PLAN.ingress.fanOuts) {
    progress(`ingress, fan-out ${n}`);
    ingress.push(await measureIngress(w, { ...PLAN.ingress, fanOut: n, nextPr }));
  }
  progress(`watching the ingress backlog for up to ${PLAN.ingress.backlogWatchMs / 1000} s`);
  const batches = ingress.map((s) => ({ repo: repoFor(s.fanOut), prs: s.prs, fanOut: s.fanOut }));
  const backlog = await watchBacklog(counter, { batches, since: ingressStarted, watchMs: PLAN.ingress.backlogWatchMs });
  return { ingress, backlog, fanOut, burst, memory };
}

// Only the emulator: never probe a cloud metadata server from a benchmark.
process.env['METADATA_SERVER_DETECTION'] = 'none';
let stopEmulator = async () => undefined as void;
setTimeout(() => {
  progress(`FAIL: did not finish within ${PLAN.deadlineMs / 1000} s`);
  // Stop our emulator first: exiting alone would leave its java process running.
  void stopEmulator().finally(() => process.exit(1));
}, PLAN.deadlineMs).unref();

const started = performance.now();
const emulator = await useEmulator(process.env);
stopEmulator = () => emulator.stop();
try {
  progress(`Firestore emulator on ${emulator.host}; seeding ${PLAN.workspaces} workspaces`);
  const w = await createBenchWorld({
    emulatorHost: emulator.host,
    workspaces: PLAN.workspaces,
    fanOuts: [...new Set([...PLAN.ingress.fanOuts, ...PLAN.fanOut.fanOuts, PLAN.burst.fanOut])],
  });
  try {
    const results = await runStages(w);
    const targets = checkTargets(results);
    printReport(results, targets, {
      node: process.version,
      cpus: cpus().length,
      totalSeconds: Math.round((performance.now() - started) / 1000),
    });
    process.exitCode = targets.every((t) => t.pass) ? 0 : 1;
  } finally {
    await w.t.close();
  }
} finally {
  await emulator.stop();
}
