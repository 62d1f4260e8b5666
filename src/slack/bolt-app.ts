import { App, ExpressReceiver, type InstallationStore, type StateStore } from '@slack/bolt';
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import type { Config } from '../config.js';
import { toRecord } from '../shared/json-reader.js';
import { toBoltLogger, type Logger } from '../log.js';
import { slackClientOptions } from '../slack-client.js';
import { renderInstallFailure, type PageResult } from './pages/install-pages.js';
import { createInstallResult, INSTALLED_PATH } from './pages/install-result.js';
import { replyNotInstalled } from './commands/not-installed-reply.js';
import { createSlackBodyGuard } from './events-body-guard.js';
import { toInstallFailure } from './oauth/install-failure.js';
import { STATE_LIFETIME_MS } from './oauth/signed-state.js';
import { createSocketMode, type SocketMode } from './socket-mode.js';

/**
 * channels:history / groups:history: before posting again after a run died between Slack's answer and our record, the
 * channel's history is searched for the tagged message (message metadata), so it is adopted instead of posted twice.
 * im:write opens the app's DM with a person (conversations.open); im:history searches that DM the same way.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'reactions:write',
  'channels:read',
  'groups:read',
  'channels:join',
  'users:read',
  'channels:history',
  'groups:history',
  'im:write',
  'im:history',
];
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';
export const EVENTS_PATH = '/slack/events';
const BODY_LIMIT = '1mb';

/**
 * The Bolt app and its ExpressReceiver, on an express Router of its own so the host app keeps no global body
 * parser: Bolt reads and verifies the raw body (v0 signature, 5-minute timestamp window → 401).
 * Every Slack URL comes from config (SLACK_API_URL, SLACK_AUTHORIZE_URL). With SLACK_APP_TOKEN, Slack's requests come
 * over Socket Mode instead (`socketMode`, started and stopped by the feature); the install routes stay here.
 */
export function createBoltApp(options: {
  config: Config;
  log: Logger;
  /** The root logger, for Bolt's own lines (toBoltLogger adds `component: bolt`; `log` already has a component). */
  rootLog: Logger;
  installationStore: InstallationStore;
  stateStore: StateStore;
}): { app: App; router: Router; socketMode: SocketMode | null } {
  const { config, log, rootLog, installationStore, stateStore } = options;
  // Bolt and its WebClients log whole request bodies at debug level (oauth.v2.access carries client_secret,
  // slash commands carry user text) as plain strings that pino's redaction cannot see: never pass them on.
  const boltLogger = { ...toBoltLogger(rootLog), debug: () => undefined };
  const clientOptions = slackClientOptions({ apiUrl: config.slack.apiUrl, logger: boltLogger });
  const router = Router();
  // A successful install ends on a page of its own, which a reload shows again (the OAuth code works once).
  const installResult = createInstallResult({
    command: config.slack.command,
    secureCookies: config.baseUrl.startsWith('https:'),
  });
  router.get(INSTALLED_PATH, (req, res) => send(res, installResult.page(req)));
  // With an app token, Slack's requests come over Socket Mode and nothing is served at EVENTS_PATH.
  const socketMode =
    config.slack.appToken === null
      ? null
      : createSocketMode({ appToken: config.slack.appToken, logger: boltLogger, clientOptions, log });
  // Registered before Bolt's own handler for the path, so it runs first.
  if (socketMode === null)
    router.post(EVENTS_PATH, ...createSlackBodyGuard({ signingSecret: config.slack.signingSecret, limit: BODY_LIMIT }));
  const receiver = new ExpressReceiver({
    signingSecret: config.slack.signingSecret,
    logger: boltLogger,
    endpoints: socketMode === null ? EVENTS_PATH : {},
    router,
    bodyLimit: BODY_LIMIT,
    clientId: config.slack.clientId,
    clientSecret: config.slack.clientSecret,
    redirectUri: `${config.baseUrl}${REDIRECT_PATH}`,
    installationStore,
    scopes: BOT_SCOPES,
    installerOptions: {
      stateStore,
      // Bolt binds the state to this browser with its own cookie; it lives as long as the signed state.
      stateCookieExpirationSeconds: STATE_LIFETIME_MS / 1000,
      directInstall: true,
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      authorizationUrl: config.slack.authorizeUrl,
      clientOptions,
      callbackOptions: {
        success: (installation, _opts, _req, res) => {
          installResult.redirect(res, {
            workspaceId: installation.team?.id ?? installation.enterprise?.id ?? null,
            teamName: installation.team?.name ?? installation.enterprise?.name ?? null,
          });
        },
        failure: (error, _opts, _req, res) => {
          const failure = toInstallFailure(error);
          const page = renderInstallFailure(failure);
          // The visitor's mistakes are routine; our faults and Slack's need someone to look.
          if (page.status >= 500) log.error({ err: error, failure: failure.kind }, 'Slack install failed');
          else log.warn({ failure: failure.kind, err: error.message }, 'Slack install refused');
          send(res, page);
        },
      },
    },
    dispatchErrorHandler: async ({ error, response }) => {
      log.error({ err: error }, 'Slack install route failed');
      send(response, renderInstallFailure({ kind: 'internal' }));
    },
  });
  // In Socket Mode the ExpressReceiver keeps only the install routes, and its installer still authorizes every request
  // (each workspace's bot token from the installation store).
  const authorize = receiver.installer?.authorize;
  if (socketMode !== null && authorize === undefined) throw new Error('Socket Mode needs the OAuth installer');
  const app = new App({
    ...(socketMode === null ? { receiver } : { receiver: socketMode.receiver, authorize }),
    logger: boltLogger,
    clientOptions,
    extendedErrorHandler: true,
  });
  app.error(async ({ error, body }: { error: Error & { code?: string }; body: unknown }) => {
    if (error.code === 'slack_bolt_authorization_error') {
      log.warn({ team_id: teamOf(body) }, 'request from a workspace without an active installation');
      await replyNotInstalled({ body, baseUrl: config.baseUrl, log });
      return;
    }
    log.error({ err: error, code: error.code, team_id: teamOf(body) }, 'Slack listener failed');
  });
  return { app, router, socketMode };
}

function teamOf(body: unknown): string | undefined {
  const teamId = toRecord(body)['team_id'];
  return typeof teamId === 'string' ? teamId : undefined;
}

function send(res: ServerResponse, page: PageResult): void {
  if (res.headersSent) return;
  res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page.html);
}
