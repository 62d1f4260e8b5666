import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '../../../src/store/firestore-client.js';
import { eventually } from '../../support/eventually.js';
import { githubDeliveryRequest } from '../../../dev/local/github-deliveries.js';
import { spawnServer, waitForHttp, type SpawnedServer } from '../../support/spawn-server.js';
import { createFakeGitHub, type FakeGitHub } from '../../../dev/fakes/fake-github.js';
import { startFakeSlack, type FakeSlack } from '../../../dev/fakes/fake-slack.js';
import { fakeGitHubEnv, fakeSlackEnv } from '../../../dev/fakes/product-env.js';

/** One running copy of the real server (src/main.ts) in its own process. */
export interface Instance {
  name: string;
  server: SpawnedServer;
  /** Sends SIGTERM and waits for the exit: its code and how long it took. */
  sigterm(): Promise<{ code: number | null; ms: number }>;
  /** kill -9: the process dies where it stands, with whatever it held. */
  kill9(): Promise<void>;
  alive(): boolean;
}

/**
 * Several instances of the real server on ONE Firestore project of the shared emulator, with one fake Slack and
 * one fake GitHub, all on loopback; they share every secret, as instances of one deployment do. Each instance talks
 * to Slack through its own API URL (`/as/<name>/api/`), so a fault hook knows which process made a call.
 */
export interface FaultCluster {
  slack: FakeSlack;
  github: FakeGitHub;
  /** The cluster's Firestore project, read directly by the test (and used to seed workspaces). */
  db: Firestore;
  projectId: string;
  /** The environment every instance shares (secrets included), as one deployment's instances do. */
  env: Record<string, string>;
  /** TOKEN_ENCRYPTION_KEY: the test seals installations with it, as an OAuth install through any instance would. */
  tokenKey: Buffer;
  /** Where each instance's log is written (`<name>.log`), to read after a failing run. */
  logDir: string;
  /** Starts one more instance and waits until it is ready (`/readyz` answers 200). */
  spawn(name: string): Promise<Instance>;
  instance(name: string): Instance;
  live(): Instance[];
  /** A signed GitHub delivery, sent to `to` (default: the first live instance). */
  deliver(d: { event: string; payload: unknown; deliveryId?: string; to?: Instance }): Promise<Response>;
  /** Kills every instance still running, then stops the fakes and the Firestore client. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 45_000;

export async function startFaultCluster(options: {
  emulatorHost: string;
  projectPrefix: string;
  logLevel?: string;
  /** Which server the instances run (see spawnServer): the TypeScript source by default. */
  entry?: 'source' | 'built';
}): Promise<FaultCluster> {
  const projectId = `${options.projectPrefix}-${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack();
  const github = await createFakeGitHub();
  const db = createFirestore({ emulatorHost: options.emulatorHost, projectId });
  const tokenKey = randomBytes(32);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? 'info',
    SLACK_CLIENT_ID: 'fault-client-id',
    SLACK_CLIENT_SECRET: secret(),
    SLACK_SIGNING_SECRET: secret(),
    SLACK_STATE_SECRET: secret(),
    // SLACK_API_URL is replaced by each instance's own below (the fake tells their calls apart by it).
    ...fakeSlackEnv(slack),
    GITHUB_WEBHOOK_SECRET: secret(),
    ...fakeGitHubEnv(github, { oauth: true }),
    TOKEN_ENCRYPTION_KEY: tokenKey.toString('base64'),
    FIRESTORE_EMULATOR_HOST: options.emulatorHost,
    GOOGLE_CLOUD_PROJECT: projectId,
  };
  const instances = new Map<string, Instance>();
  const logDir = mkdtempSync(join(tmpdir(), `${projectId}-logs-`));

  async function spawn(name: string): Promise<Instance> {
    if (instances.has(name)) throw new Error(`instance ${name} exists already`);
    const server = await spawnServer(
      { ...env, SLACK_API_URL: slack.apiUrlFor(name) },
      options.entry ? { entry: options.entry } : {},
    );
    const logFile = createWriteStream(join(logDir, `${name}.log`));
    server.child.stdout?.pipe(logFile);
    server.child.stderr?.pipe(logFile);
    const instance = toInstance(name, server);
    instances.set(name, instance);
    await waitForHttp(server, '/healthz', READY_TIMEOUT_MS);
    await eventually(async () => {
      if (!instance.alive()) throw new Error(`instance ${name} exited:\n${server.output()}`);
      const res = await fetch(`${server.baseUrl}/readyz`);
      if (res.status !== 200) throw new Error(`instance ${name} not ready: ${res.status}`);
    }, READY_TIMEOUT_MS);
    return instance;
  }

  const live = () => [...instances.values()].filter((i) => i.alive());
  return {
    slack,
    github,
    db,
    projectId,
    env,
    tokenKey,
    logDir,
    spawn,
    live,
    instance(name) {
      const found = instances.get(name);
      if (!found) throw new Error(`no instance ${name}`);
      return found;
    },
    async deliver(d) {
      const to = d.to ?? live()[0];
      if (!to) throw new Error('no live instance to deliver to');
      const request = await githubDeliveryRequest({ ...d, secret: env['GITHUB_WEBHOOK_SECRET'] ?? '' });
      return fetch(`${to.server.baseUrl}/github/webhooks`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
    },
    async close() {
      await Promise.allSettled([...instances.values()].map((i) => i.kill9()));
      await Promise.allSettled([slack.close(), github.close()]);
      await db.terminate();
    },
  };
}

function toInstance(name: string, server: SpawnedServer): Instance {
  const alive = () => server.child.exitCode === null && server.child.signalCode === null;
  return {
    name,
    server,
    alive,
    async sigterm() {
      const t0 = Date.now();
      server.child.kill('SIGTERM');
      const code = await server.exited;
      return { code, ms: Date.now() - t0 };
    },
    async kill9() {
      if (alive()) server.child.kill('SIGKILL');
      await server.exited;
    },
  };
}

const secret = () => randomBytes(24).toString('hex');
