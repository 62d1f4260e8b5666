import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/store/emulator.js';
import { VALID_ENV } from './valid-env.js';

// Node with tsx's loader, in ONE process: the tsx CLI runs the server in a child process, so a SIGKILL sent to it
// would leave the real server running as an orphan. Absolute paths: the server runs in a directory of its own.
const NODE_ARGS = [
  '--import',
  new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href,
  fileURLToPath(new URL('../../src/main.ts', import.meta.url)),
];

/** The compiled server (`npm run build`), run as the container runs it: plain Node, no TypeScript loader. */
const BUILT_ARGS = [fileURLToPath(new URL('../../dist/main.js', import.meta.url))];

/** A valid configuration whose Slack and GitHub base URLs lead nowhere, so a test never reaches the real ones. */
export const SERVER_ENV: Record<string, string> = {
  ...VALID_ENV,
  LOG_LEVEL: 'info',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  GITHUB_URL: 'http://127.0.0.1:9',
  GITHUB_API_URL: 'http://127.0.0.1:9',
};

export interface SpawnedServer {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

/**
 * Runs `src/main.ts` as `npm start` does (TypeScript through tsx), with exactly the given environment (no inherited
 * variables but PATH/HOME). Signals reach the server itself, so SIGKILL is a real crash and SIGTERM a real stop.
 * It runs in a fresh directory (or `cwd`), so a developer's `.env` in the checkout is never read and the embedded
 * emulator's `.data/` never lands in the checkout. `detached`: a process group of its own, as a terminal gives
 * `npm start` (signal the group with `process.kill(-child.pid, …)`, as Ctrl-C does).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: {
    cwd?: string;
    detached?: boolean;
    /** `built`: dist/main.js, which must have been built (see bench/server-build.ts); default the TypeScript source. */
    entry?: 'source' | 'built';
  } = {},
): Promise<SpawnedServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, options.entry === 'built' ? BUILT_ARGS : NODE_ARGS, {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      METADATA_SERVER_DETECTION: 'none',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: baseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'pr-notifier-server-')),
    detached: options.detached === true,
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, baseUrl, output: () => out, exited };
}

/** Polls until the URL answers (any status) or the process exits. */
export async function waitForHttp(server: SpawnedServer, path: string, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      return await fetch(server.baseUrl + path);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not answer ${path} within ${timeoutMs} ms:\n${server.output()}`);
}

/**
 * `npm start` with no Firestore configured: the server starts its embedded emulator, keeping data in `dataDir`.
 * Resolves once the server is ready, with the emulator's address as the server announced it.
 */
export async function spawnEmbedded(
  dataDir: string,
  options: { detached?: boolean } = {},
): Promise<{ server: SpawnedServer; emulatorHost: string }> {
  const server = await spawnServer({ ...SERVER_ENV, FIRESTORE_DATA_DIR: dataDir }, options);
  try {
    if ((await waitForHttp(server, '/healthz', 40_000)).status !== 200)
      throw new Error(`not healthy:\n${server.output()}`);
    await waitReady(server);
  } catch (err) {
    server.child.kill('SIGKILL');
    throw err;
  }
  const emulatorHost = /"emulator":"(127\.0\.0\.1:\d+)".*embedded Firestore emulator/.exec(server.output())?.[1];
  if (!emulatorHost) {
    server.child.kill('SIGKILL');
    throw new Error(`no embedded emulator announced:\n${server.output()}`);
  }
  return { server, emulatorHost };
}

/** Readiness is polled, as Cloud Run or Kubernetes would: the first Firestore round trip may take a moment. */
export async function waitReady(server: SpawnedServer, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(server.baseUrl + '/readyz').catch(() => null))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready within ${timeoutMs} ms:\n${server.output()}`);
}
