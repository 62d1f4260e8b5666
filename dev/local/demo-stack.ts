import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Firestore } from '@google-cloud/firestore';
import { createAppDeps } from '../../src/app-deps.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startFirestoreEmulator, type RunningEmulator } from '../../src/store/emulator.js';
import { createFirestore } from '../../src/store/firestore-client.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createFakeGitHub, type FakeGitHub } from '../fakes/fake-github.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { createLocalGitHub, type LocalGitHub } from './github-deliveries.js';
import { createSlackActors, type SlackActors } from './slack-actors.js';
import { fakeGitHubEnv, fakeSlackEnv } from '../fakes/product-env.js';

/**
 * Everything the demo runs, in this process: an embedded Firestore emulator in memory (nothing on disk, so a
 * developer's .data/ is never touched), the fake Slack and fake GitHub, and the real app on a loopback port,
 * configured from scratch (no .env, no environment variable read) with throw-away secrets.
 */
export interface DemoStack {
  appUrl: string;
  slack: FakeSlack;
  gitHub: FakeGitHub;
  /** Sends signed deliveries to the app's webhook route. */
  deliveries: LocalGitHub;
  actors: SlackActors;
  /** Waits until no job is pending or running (bounded; a hang is an error). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const secret = () => randomBytes(24).toString('hex');

export async function startDemoStack(options: { projectId: string; emulatorJar?: string }): Promise<DemoStack> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    // Newest first; every step runs even if one fails.
    for (const step of closers.reverse()) await step().catch(() => undefined);
  };
  try {
    // The emulator (a JVM) starts while the rest comes up; each part is closed even if another failed to start.
    const started = <T extends { close(): Promise<void> }>(part: Promise<T>) =>
      part.then((p) => (closers.push(() => p.close()), p));
    const emulatorStarted = startFirestoreEmulator(options.emulatorJar ? { jar: options.emulatorJar } : {}).then(
      (e: RunningEmulator) => (closers.push(() => e.stop()), e),
    );
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;
    const appUrl = `http://127.0.0.1:${port}`;
    const clientId = `demo.${randomBytes(4).readUInt32BE()}`;
    const clientSecret = secret();
    // Settled, not raced: a part still starting when another fails would be left running.
    const slackStarted = started(startFakeSlack({ clientId, clientSecret }));
    const gitHubStarted = started(createFakeGitHub());
    await Promise.allSettled([emulatorStarted, slackStarted, gitHubStarted]);
    const [emulator, slack, gitHub] = [await emulatorStarted, await slackStarted, await gitHubStarted];

    const config = loadConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: appUrl,
      LOG_LEVEL: 'silent',
      SLACK_CLIENT_ID: clientId,
      SLACK_CLIENT_SECRET: clientSecret,
      SLACK_SIGNING_SECRET: secret(),
      SLACK_STATE_SECRET: secret(),
      ...fakeSlackEnv(slack),
      GITHUB_WEBHOOK_SECRET: secret(),
      ...fakeGitHubEnv(gitHub, { oauth: true, app: true }),
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FIRESTORE_EMULATOR_HOST: emulator.host,
      GOOGLE_CLOUD_PROJECT: options.projectId,
    });
    const db = createFirestore({ emulatorHost: emulator.host, projectId: options.projectId });
    const log = createLogger({ level: config.logLevel });
    const app: App = createApp(createAppDeps({ config, log, db, slackTimeoutMs: 5000 }));
    server.on('request', app.http);
    app.start();
    closers.push(() => app.stop());

    return {
      appUrl,
      slack,
      gitHub,
      deliveries: createLocalGitHub({
        webhookUrl: `${appUrl}/github/webhooks`,
        secret: config.github.webhookSecret,
      }),
      actors: createSlackActors({ appUrl, slack, signingSecret: config.slack.signingSecret }),
      settle: async (timeoutMs = 15_000) => {
        app.queue.wake();
        await waitQuiet(db, timeoutMs);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

const QUIET_POLL_MS = 50;

/** The queue is quiet when no job is pending or running; seen twice in a row, so a job about to be enqueued counts. */
async function waitQuiet(db: Firestore, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietInARow = 0;
  while (Date.now() < deadline) {
    const busy = await db.collection(COLLECTIONS.jobs).where('status', 'in', ['pending', 'running']).limit(1).get();
    quietInARow = busy.empty ? quietInARow + 1 : 0;
    if (quietInARow >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS));
  }
  throw new Error(`the job queue did not settle within ${timeoutMs} ms`);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
