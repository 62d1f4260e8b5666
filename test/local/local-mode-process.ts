import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/store/emulator.js';
import { toRecord } from '../../src/shared/json-reader.js';

// `npm start` as a newcomer runs it: dev/start.ts through tsx's loader, in ONE process (so signals reach it).
const NODE_ARGS = [
  '--import',
  new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href,
  fileURLToPath(new URL('../../dev/start.ts', import.meta.url)),
];

export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs `npm start`'s entry in `cwd` with exactly `env` (plus PATH and HOME; no variable of the test run leaks in),
 * in a process group of its own as a terminal gives it, so `process.kill(-pid, 'SIGINT')` is a Ctrl-C.
 */
export function startEntry(cwd: string, env: Record<string, string>): StartedProcess {
  const child = spawn(process.execPath, NODE_ARGS, {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      METADATA_SERVER_DETECTION: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export interface LocalModeProcess extends StartedProcess {
  appUrl: string;
  pageUrl: string;
  /** Ctrl-C in the terminal: SIGINT to the whole process group; resolves with the exit code. */
  interrupt(): Promise<number | null>;
  state(): Promise<Record<string, unknown>>;
  post(path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Starts local mode in `cwd` on free ports and resolves once its banner is printed (it is ready then). */
export async function startLocalMode(cwd: string, options: { timeoutMs?: number } = {}): Promise<LocalModeProcess> {
  const [appPort, slackPort] = [await freePort(), await freePort()];
  const started = startEntry(cwd, { PORT: String(appPort), LOCAL_SLACK_PORT: String(slackPort) });
  const deadline = Date.now() + (options.timeoutMs ?? 40_000);
  while (!started.output().includes('Ctrl-C stops')) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      if (started.child.exitCode === null) process.kill(-(started.child.pid ?? 0), 'SIGKILL');
      throw new Error(`local mode did not come up:\n${started.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pageUrl = `http://127.0.0.1:${slackPort}`;
  return {
    ...started,
    appUrl: `http://127.0.0.1:${appPort}`,
    pageUrl,
    interrupt: () => {
      process.kill(-(started.child.pid ?? 0), 'SIGINT');
      return started.exited;
    },
    state: async () => toRecord(await (await fetch(`${pageUrl}/local/state`)).json()),
    post: async (path, body) => {
      const res = await fetch(pageUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: toRecord(await res.json()) };
    },
  };
}

/** Kills a process group that a failed test left running. */
export function killGroup(p: StartedProcess): void {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    try {
      process.kill(-(p.child.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
