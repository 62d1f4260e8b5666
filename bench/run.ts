import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrNumbers } from './deliveries.js';
import { useEmulator } from './emulator.js';
import { installFirestoreMeter } from './firestore-meter.js';
import { benchPlan } from './plan.js';
import { ownPeakRssMiB } from './peak-rss.js';
import { resultsMarkdown, type BenchResults } from './report.js';
import { runAppStages } from './app-stages.js';
import { measureLookup } from './lookup.js';
import { measureScaleOut } from './scale-out.js';
import { buildServer } from './server-build.js';
import { checkTargets } from './targets.js';

/**
 * `npm run bench`: issue 11's figures in one run, each next to a floor measured in the same run, written to
 * bench/results.md. `--small`: smaller sizes while developing. `--strict`: exit 1 when a target fails (by default
 * the run reports and exits 0, since the engine is being improved). `--out <file>`: write the results elsewhere
 * (default bench/results.md; a small run's go to the temp directory).
 */
const args = process.argv.slice(2);
const plan = benchPlan(args.includes('--small'));
// A small run's figures are not the ones to commit: they go to the temp directory unless --out says otherwise.
const defaultOut = args.includes('--small') ? join(tmpdir(), 'bench-results-small.md') : 'bench/results.md';
const outIndex = args.indexOf('--out');
const outFile = (outIndex >= 0 ? args[outIndex + 1] : undefined) ?? defaultOut;
const progress = (message: string) =>
  process.stderr.write(`[bench] ${Math.round(performance.now() / 1000)} s: ${message}\n`);

// Only the emulator: never probe a cloud metadata server from a benchmark.
process.env['METADATA_SERVER_DETECTION'] = 'none';
// Before any Firestore client exists: the app's own client is counted too.
const firestore = installFirestoreMeter();
let stopEmulator = async () => undefined as void;
setTimeout(() => {
  progress(`FAIL: did not finish within ${plan.deadlineMs / 1000} s`);
  // Stop our emulator first: exiting alone would leave its java process running.
  void stopEmulator().finally(() => process.exit(1));
}, plan.deadlineMs).unref();

const started = performance.now();
const emulator = await useEmulator(process.env);
stopEmulator = () => emulator.stop();
const problems: string[] = [];
/** A stage that throws is reported, and the run goes on to the next one. */
async function stage<T>(name: string, run: () => Promise<T>, fallback: T): Promise<T> {
  progress(name);
  try {
    return await run();
  } catch (err) {
    problems.push(`${name} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    progress(`${name} FAILED: ${String(err)}`);
    return fallback;
  }
}

try {
  progress(`Firestore emulator on ${emulator.host}`);
  const app = await runAppStages({
    plan,
    emulatorHost: emulator.host,
    firestore,
    nextPr: createPrNumbers(),
    stage,
    progress,
  });
  const lookup = await stage(
    'lookup through repo_workspace_mappings',
    () => measureLookup({ emulatorHost: emulator.host, ...plan.lookup, progress }),
    [],
  );
  const scaleOut = [];
  const built = await stage(
    'scale-out: npm run build (the instances run dist/main.js)',
    () => buildServer().then(() => true),
    false,
  );
  for (let run = 1; built && run <= plan.scaleOut.runs; run += 1) {
    for (const instances of plan.scaleOut.instanceCounts) {
      const row = await stage(
        `scale-out: ${plan.scaleOut.deliveries} deliveries, ${instances} instance(s), run ${run} of ${plan.scaleOut.runs}`,
        () => measureScaleOut({ emulator, ...plan.scaleOut, instances, latencyMs: plan.slackLatencyMs }),
        null,
      );
      if (row) scaleOut.push(row);
    }
  }
  const servers = scaleOut.map((s) => s.peakRssMiB).filter((r): r is number => r !== null);
  const results: BenchResults = {
    ...app,
    lookup,
    scaleOut,
    peakRssMiB: { benchProcess: ownPeakRssMiB(), serverProcesses: servers.length ? Math.max(...servers) : null },
    problems,
  };
  const targets = app.prLife
    ? checkTargets({ ...results, fanOutFloorMs: results.floors.fanOutMs, prLife: app.prLife })
    : [];
  const command = ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' ');
  const markdown = resultsMarkdown(results, targets, {
    command,
    seconds: Math.round((performance.now() - started) / 1000),
  });
  writeFileSync(outFile, markdown);
  console.log(markdown);
  const failed = targets.some((t) => !t.pass) || problems.length > 0;
  process.exitCode = failed && args.includes('--strict') ? 1 : 0;
} finally {
  await emulator.stop();
}
