import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAppDeps, type AppDeps } from '../../src/app-deps.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../src/log.js';
import { createFirestore } from '../../src/store/firestore-client.js';
import { startFakeSlack, type FakeChannel, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { eventually } from './eventually.js';
import { emulatorHost } from './firestore.js';
import { githubDeliveryRequest } from '../../dev/local/github-deliveries.js';
import { encodeSlackBody, slackSignatureHeaders, slashCommandBody } from '../../dev/local/slack-signing.js';
import { seedInstallation } from './seed-installation.js';
import { fakeSlackEnv } from '../../dev/fakes/product-env.js';

export interface TestApp {
  baseUrl: string;
  deps: AppDeps;
  app: App;
  slack: FakeSlack;
  config: Config;
  installWorkspace(w: {
    workspaceId: string;
    teamName?: string;
    botToken?: string;
    botUserId?: string;
    channels?: FakeChannel[];
    scopes?: string[];
  }): Promise<{ botToken: string }>;
  slashCommand(c: {
    workspaceId: string;
    userId: string;
    text: string;
    channelId?: string;
    command?: string;
    expectReplies?: number;
    timeoutMs?: number;
  }): Promise<{ status: number; ackBody: string; replies: Array<Record<string, unknown>> }>;
  postSlackEvent(body: Record<string, unknown>): Promise<Response>;
  signSlack(rawBody: string, timestampSeconds?: number): Record<string, string>;
  sendDelivery(d: {
    event: string;
    payload: unknown;
    deliveryId?: string;
    secret?: string;
    headers?: Record<string, string>;
  }): Promise<Response>;
  close(): Promise<void>;
}

const secret = () => randomBytes(24).toString('hex');

/**
 * The whole app as main.ts builds it (real config loader, Firestore on the emulator in a project of its own,
 * the one WebClient), wired to the fake Slack and listening on loopback. Throw-away secrets per instance.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    now?: () => Date;
    /** host:port of the Firestore emulator; default: the one vitest's global setup provides (outside vitest, e.g. bench/, pass it). */
    emulatorHost?: string;
    /** Where the app's log lines go (with LOG_LEVEL in `env`); default stdout. */
    logDestination?: DestinationStream;
    /** Socket Mode: the fake Slack issues an app-level token and the app gets it as SLACK_APP_TOKEN. */
    socketMode?: boolean;
  } = {},
): Promise<TestApp> {
  // Listen first: BASE_URL (used in OAuth redirect URLs) must be our real address.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.env?.['SLACK_CLIENT_ID'] ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}`;
  const clientSecret = options.env?.['SLACK_CLIENT_SECRET'] ?? secret();
  const slack = await startFakeSlack({ clientId, clientSecret });

  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String((server.address() as AddressInfo).port),
    BASE_URL: baseUrl,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    SLACK_CLIENT_ID: clientId,
    SLACK_CLIENT_SECRET: clientSecret,
    SLACK_SIGNING_SECRET: secret(),
    SLACK_STATE_SECRET: secret(),
    ...fakeSlackEnv(slack),
    GITHUB_WEBHOOK_SECRET: secret(),
    GITHUB_CLIENT_ID: `Iv1.${randomBytes(8).toString('hex')}`,
    GITHUB_CLIENT_SECRET: secret(),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FIRESTORE_EMULATOR_HOST: options.emulatorHost ?? emulatorHost(),
    GOOGLE_CLOUD_PROJECT: `app-${randomUUID().slice(0, 8)}`,
    ...(options.socketMode ? { SLACK_APP_TOKEN: slack.socketMode.createAppToken() } : {}),
    ...options.env,
  });
  if (config.firestore.kind !== 'emulator')
    throw new Error('createTestApp: tests must run against the Firestore emulator');
  const db = createFirestore({ emulatorHost: config.firestore.host, projectId: config.firestore.projectId });
  // Open the gRPC channel now: a cold client's first read can outlast the 2 s readiness probe on a busy machine.
  await db.collection('_warmup').doc('_warmup').get();
  const log = createLogger({
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const deps = createAppDeps({ config, log, db, slackTimeoutMs: 5000, ...(options.now ? { now: options.now } : {}) });
  const app = createApp(deps);
  server.on('request', app.http);
  app.start();

  const signSlack = (rawBody: string, timestampSeconds?: number) =>
    slackSignatureHeaders({
      signingSecret: config.slack.signingSecret,
      rawBody,
      ...(timestampSeconds !== undefined ? { timestampSeconds } : {}),
    });
  const postSigned = (rawBody: string, contentType: string) =>
    fetch(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlack(rawBody) },
      body: rawBody,
    });

  return {
    baseUrl,
    deps,
    app,
    slack,
    config,
    signSlack,
    async installWorkspace(w) {
      const botToken = w.botToken ?? `xoxb-${w.workspaceId}-${randomBytes(6).toString('hex')}`;
      const botUserId = w.botUserId ?? `UBOT${w.workspaceId}`;
      const teamName = w.teamName ?? `team-${w.workspaceId.toLowerCase()}`;
      // Without `scopes`, the token has every scope (e.g. the history scopes a workspace installed earlier lacks).
      slack.addWorkspace({
        workspaceId: w.workspaceId,
        teamName,
        botToken,
        botUserId,
        ...(w.channels ? { channels: w.channels } : {}),
        ...(w.scopes ? { scopes: w.scopes } : {}),
      });
      await seedInstallation({
        workspaces: deps.store.workspaces,
        tokens: deps.tokens,
        workspaceId: w.workspaceId,
        teamName,
        botToken,
        botUserId,
        scopes: ['commands', 'chat:write', 'reactions:write'],
        at: deps.now(),
      });
      return { botToken };
    },
    async slashCommand(c) {
      const target = slack.newResponseUrl();
      const rawBody = slashCommandBody({
        workspaceId: c.workspaceId,
        userId: c.userId,
        text: c.text,
        channelId: c.channelId ?? 'CGENERAL',
        command: c.command ?? '/notify',
        responseUrl: target.url,
      });
      const res = await postSigned(rawBody, 'application/x-www-form-urlencoded');
      const ackBody = await res.text();
      const expected = c.expectReplies ?? 1;
      // A refused request gets no replies; don't wait for them.
      if (res.ok && expected > 0) {
        await eventually(() => {
          if (target.responses().length < expected) throw new Error(`waiting for ${expected} response_url replies`);
        }, c.timeoutMs ?? 5000).catch(() => undefined);
      }
      return { status: res.status, ackBody, replies: target.responses() };
    },
    postSlackEvent(body) {
      const { rawBody, contentType } = encodeSlackBody(body);
      return postSigned(rawBody, contentType);
    },
    async sendDelivery(d) {
      const request = await githubDeliveryRequest({ ...d, secret: d.secret ?? config.github.webhookSecret });
      return fetch(`${baseUrl}/github/webhooks`, { method: 'POST', headers: request.headers, body: request.body });
    },
    async close() {
      // Every step runs even if an earlier one fails, so a broken test never leaks a server or a client.
      const results = await Promise.allSettled([
        app.stop(),
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        slack.close(),
      ]);
      // The client is not terminated, as in production (src/store/open-firestore.ts): a run still finishing after the
      // queue's stop deadline would find it terminated, and the SDK then rejects a promise nobody holds.
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
