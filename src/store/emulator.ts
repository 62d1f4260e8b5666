import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { exportData, exportMetadataPath, recoverExport } from './emulator-data.js';

const EMULATOR_JAR = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';

export interface RunningEmulator {
  host: string;
  /** The java process (benchmarks read its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  jar?: string;
  port?: number;
  /** Keep this project's data in a directory across runs (exported on stop, imported on start); omitted = memory only. */
  persist?: { dir: string; projectId: string };
  rulesFile?: string;
  readyTimeoutMs?: number;
  onOutput?: (line: string) => void;
}

/**
 * Starts the gcloud Firestore emulator jar directly (a gcloud wrapper would leave java orphaned when killed).
 * Used by `npm start`'s embedded mode and by the test global setup.
 */
export async function startFirestoreEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const jar = options.jar ?? EMULATOR_JAR;
  if (!existsSync(jar)) {
    throw new Error(
      `Firestore emulator jar not found at ${jar}. Install the Google Cloud SDK component ` +
        '"cloud-firestore-emulator" (Debian package google-cloud-cli-firestore-emulator) or set FIRESTORE_EMULATOR_JAR to ' +
        'where the jar is; or use another Firestore with FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT.',
    );
  }
  const port = options.port ?? (await freePort());
  const args = [
    '-Duser.language=en',
    '-cp',
    jar,
    'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
  ];
  if (options.rulesFile) args.push('--rules', resolve(options.rulesFile));
  if (options.persist) {
    mkdirSync(resolve(options.persist.dir), { recursive: true });
    recoverExport(options.persist.dir);
    const metadata = exportMetadataPath(options.persist.dir);
    if (existsSync(metadata)) args.push('--import-data', metadata);
  }
  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and the emulator must live
  // until we have exported its data. The watchdog still stops it if we die without stopping it.
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const spawned = new Promise<void>((resolveSpawn, rejectSpawn) => {
    child.once('spawn', resolveSpawn);
    child.once('error', (err: NodeJS.ErrnoException) =>
      rejectSpawn(
        err.code === 'ENOENT'
          ? new Error(
              'Java was not found on PATH: the embedded Firestore emulator needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless). Or use another Firestore with FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT.',
            )
          : err,
      ),
    );
  });
  await spawned;
  const watchdog = killWhenWeDie(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const host = `127.0.0.1:${port}`;
  try {
    await waitReady(host, child, options.readyTimeoutMs ?? 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output.join('\n')}`, { cause: err });
  }
  const persist = options.persist;
  return {
    host,
    pid: child.pid,
    stop: async () => {
      try {
        if (persist) await exportData(host, persist);
      } finally {
        await stopChild(child);
        watchdog.kill();
      }
    },
  };
}

/**
 * Java outlives a parent that is killed outright (SIGKILL, a crash, a test runner torn down), leaving an orphaned
 * emulator holding memory and a port. A tiny shell waits on a pipe from us; when we die the pipe closes and it
 * stops the emulator.
 */
function killWhenWeDie(child: ChildProcess): ChildProcess {
  const watchdog = spawn('sh', ['-c', `cat >/dev/null; kill ${child.pid ?? ''} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

async function waitReady(host: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Firestore emulator exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://${host}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Firestore emulator did not answer on ${host} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}
