import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/store/emulator.js';
import { VALID_ENV } from './valid-env.js';

// Node with tsx's loader, in ONE process: the tsx CLI runs the server in a child process, so a SIGKILL sent to it
// would leave the real server running as an orphan.
const NODE_ARGS = ['--import', 'tsx', 'src/main.ts'];

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
 */
export async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, NODE_ARGS, {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', METADATA_SERVER_DETECTION: 'none',
      ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URL: baseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
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
