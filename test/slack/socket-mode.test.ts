import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeGitHub, type FakeGitHub } from '../../dev/fakes/fake-github.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildSlackManifest } from '../../src/slack/manifest.js';
import { eventually } from '../support/eventually.js';
import { emulatorHost } from '../support/firestore.js';
import { slackEventEnvelope } from '../support/slack-signing.js';
import { SERVER_ENV, spawnServer, waitReady, type SpawnedServer } from '../support/spawn-server.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { VALID_ENV } from '../support/valid-env.js';
import { installViaOAuth } from './slack-test-kit.js';
import { fakeGitHubEnv } from '../../dev/fakes/product-env.js';

/**
 * SLACK_APP_TOKEN: every Slack request (slash commands, events) comes over Socket Mode, against the fake Slack's
 * apps.connections.open and WebSocket; the install, the link flow and GitHub stay on HTTP.
 */
describe('Socket Mode', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  const raw: string[] = [];
  const general = { id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true };

  beforeAll(async () => {
    gh = await createFakeGitHub();
    gh.addRepo({ fullName: 'octo/socket', private: false });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp({
      socketMode: true,
      // Every level Bolt and the socket client write at, to look for the token.
      env: { LOG_LEVEL: 'trace', ...fakeGitHubEnv(gh) },
      logDestination: destination,
    });
    await t.slack.socketMode.waitForConnection();
    await t.installWorkspace({ workspaceId: 'TSOCK', channels: [general] });
  });
  afterAll(async () => {
    await t.close();
    await gh.close();
  });

  it('connects at start with the app token through SLACK_API_URL, and logs that Socket Mode is on, never the token', () => {
    const appToken = t.config.slack.appToken ?? '';
    expect(appToken).toMatch(/^xapp-/);
    expect(t.slack.callsTo('apps.connections.open', appToken).length).toBeGreaterThanOrEqual(1);
    expect(t.slack.socketMode.openConnections()).toBe(1);
    expect(raw.some((line) => line.includes('Socket Mode is on'))).toBe(true);
    expect(raw.filter((line) => line.includes(appToken))).toEqual([]);
  });

  it('answers /notify help over the socket: acknowledged on the socket, the ephemeral usage through response_url', async () => {
    const sent = await t.slack.socketMode.sendSlashCommand({ workspaceId: 'TSOCK', userId: 'UALICE', text: 'help' });
    expect(sent.ack).toEqual({ envelope_id: expect.any(String) as unknown, payload: {} });
    await eventually(() => expect(sent.replies()).toHaveLength(1));
    expect(sent.replies()[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(sent.replies()[0]?.['text'])).toContain('/notify subscribe owner/repo');
  });

  it('/notify subscribe owner/repo over the socket stores the subscription and says so', async () => {
    const sent = await t.slack.socketMode.sendSlashCommand({
      workspaceId: 'TSOCK',
      userId: 'UALICE',
      text: 'subscribe octo/socket',
      channelId: 'CGENERAL',
    });
    await eventually(() => expect(sent.replies()).toHaveLength(1));
    expect(sent.replies()[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(sent.replies()[0]?.['text'])).toContain('octo/socket');
    const stored = await t.deps.store.subscriptions.get('TSOCK', 'octo/socket');
    expect(stored).toMatchObject({ channelId: 'CGENERAL', enabled: true });
  });

  it('authorizes each request by its workspace: one with no installation is told how to install', async () => {
    const sent = await t.slack.socketMode.sendSlashCommand({ workspaceId: 'TNONE', userId: 'UBOB', text: 'list' });
    await eventually(() => expect(sent.replies()).toHaveLength(1));
    expect(String(sent.replies()[0]?.['text'])).toContain(`${t.baseUrl}/slack/install`);
  });

  it('the OAuth install stays on HTTP, and the installed workspace is then answered over the socket', async () => {
    const page = await installViaOAuth(t, { workspaceId: 'TOAUTH', botToken: 'xoxb-oauth-socket' });
    expect(page.status).toBe(200);
    await expect(t.deps.tokens.botToken('TOAUTH')).resolves.toBe('xoxb-oauth-socket');
    const sent = await t.slack.socketMode.sendSlashCommand({ workspaceId: 'TOAUTH', userId: 'UCAROL', text: 'list' });
    await eventually(() => expect(sent.replies()).toHaveLength(1));
    expect(String(sent.replies()[0]?.['text'])).not.toContain('not installed');
  });

  it('handles app_uninstalled sent over the socket: the workspace’s tokens are deleted', async () => {
    await t.installWorkspace({ workspaceId: 'TGONE' });
    const ack = await t.slack.socketMode.sendEvent(
      slackEventEnvelope({ workspaceId: 'TGONE', event: { type: 'app_uninstalled' } }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    await eventually(async () => expect(await t.deps.tokens.botToken('TGONE')).toBeNull());
    const audit = await t.deps.store.audit.listForWorkspace('TGONE');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'workspace.uninstall', actor: 'slack' }));
  });

  it('reconnects when Slack recycles the connection, through refusals of apps.connections.open', async () => {
    const before = t.slack.socketMode.connections().length;
    // A 5xx the Web API client retries itself; an error it does not (invalid_auth) is retried here, never a crash.
    t.slack.failNext({ method: 'apps.connections.open', error: 'internal_error', httpStatus: 500 });
    t.slack.failNext({ method: 'apps.connections.open', error: 'invalid_auth' });
    t.slack.socketMode.requestRefresh();
    await eventually(() => {
      expect(t.slack.socketMode.connections().length).toBeGreaterThan(before);
      expect(t.slack.socketMode.openConnections()).toBe(1);
    }, 15_000);
    const sent = await t.slack.socketMode.sendSlashCommand({ workspaceId: 'TSOCK', userId: 'UALICE', text: 'help' });
    await eventually(() => expect(sent.replies()).toHaveLength(1));
  });

  it('serves nothing at POST /slack/events: Slack’s requests come only over the socket', async () => {
    const res = await t.postSlackEvent({ type: 'url_verification', challenge: 'c-1', token: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('Socket Mode: stopping', () => {
  it('stop closes the socket with a normal closure, so Slack sends nothing more to this process', async () => {
    const t = await createTestApp({ socketMode: true });
    try {
      await t.slack.socketMode.waitForConnection();
      // One round trip, so the app has seen Slack's hello too (an event from an unknown workspace is acknowledged).
      await t.slack.socketMode.sendEvent(
        slackEventEnvelope({ workspaceId: 'TNOBODY', event: { type: 'member_joined_channel', user: 'U1' } }),
      );
      await t.app.stop();
      await eventually(() => expect(t.slack.socketMode.openConnections()).toBe(0));
      expect(t.slack.socketMode.connections()).toEqual([{ open: false, closeCode: 1000 }]);
    } finally {
      await t.close();
    }
  });
});

describe('Socket Mode: an app token Slack refuses', () => {
  it('is logged with Slack’s reason and without the token, and the HTTP side keeps serving', async () => {
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const appToken = 'xapp-1-A0REVOKED-1-0123456789abcdef';
    const t = await createTestApp({
      env: { SLACK_APP_TOKEN: appToken, LOG_LEVEL: 'info' },
      logDestination: destination,
    });
    try {
      await eventually(() => {
        const refused = raw.find((line) => line.includes('Socket Mode could not connect'));
        expect(refused).toContain('"slack_error":"invalid_auth"');
      });
      expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
      expect(raw.filter((line) => line.includes(appToken))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('Socket Mode: the process', () => {
  let slack: FakeSlack;
  let server: SpawnedServer | undefined;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });
  afterAll(() => slack.close());

  it('npm start connects over Socket Mode and exits 0 on SIGTERM within 10 s, closing the socket', async () => {
    const appToken = slack.socketMode.createAppToken();
    server = await spawnServer({
      ...SERVER_ENV,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APP_TOKEN: appToken,
      FIRESTORE_EMULATOR_HOST: emulatorHost(),
      GOOGLE_CLOUD_PROJECT: 'socket-mode-process',
    });
    await waitReady(server);
    await slack.socketMode.waitForConnection(15_000);
    await slack.socketMode.sendEvent(
      slackEventEnvelope({ workspaceId: 'TNOBODY', event: { type: 'member_joined_channel', user: 'U1' } }),
    );

    const t0 = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(slack.socketMode.connections()).toEqual([{ open: false, closeCode: 1000 }]);
    expect(server.output()).toContain('Socket Mode is on');
    expect(server.output()).not.toContain(appToken);
  }, 60_000);
});

describe('SLACK_APP_TOKEN in the configuration', () => {
  it('is optional, and read when it is an app-level token', () => {
    expect(loadConfig(VALID_ENV).slack.appToken).toBeNull();
    expect(loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xapp-1-A0-1-abc' }).slack.appToken).toBe('xapp-1-A0-1-abc');
  });

  it('anything else (a bot token pasted by mistake) is part of the one configuration error, its value never shown', () => {
    let error: unknown;
    try {
      loadConfig({ ...VALID_ENV, SLACK_APP_TOKEN: 'xoxb-123-pasted-by-mistake', PORT: 'eighty' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('SLACK_APP_TOKEN is malformed'))).toContain('xapp-');
    expect((error as ConfigError).message).not.toContain('pasted-by-mistake');
  });
});

describe('the Slack app manifest for Socket Mode (npm run manifest -- --socket-mode)', () => {
  it('turns Socket Mode on and lists no request URL, keeping the OAuth redirect URLs the browser steps use', () => {
    const manifest = buildSlackManifest({ baseUrl: 'http://localhost:3000', command: '/notify', socketMode: true });
    expect(manifest['settings']).toMatchObject({ socket_mode_enabled: true });
    expect(JSON.stringify(manifest)).not.toContain('/slack/events');
    expect(manifest['oauth_config']).toMatchObject({
      redirect_urls: ['http://localhost:3000/slack/oauth_redirect', 'http://localhost:3000/slack/oidc/callback'],
    });
    const http = buildSlackManifest({ baseUrl: 'http://localhost:3000', command: '/notify' });
    expect(http['settings']).toMatchObject({ socket_mode_enabled: false });
  });
});
