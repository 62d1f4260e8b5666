import { SocketModeReceiver } from '@slack/bolt';
import type { Logger as SlackLogger, WebClientOptions } from '@slack/web-api';
import { toRecord } from '../shared/json-reader.js';
import type { Logger } from '../log.js';
import { slackErrorCode } from './slack-errors.js';

/** The Slack SDK's own `retryPolicies.fiveRetriesInFiveMinutes` (not importable by name from its CommonJS build). */
const FIVE_RETRIES_IN_FIVE_MINUTES = { retries: 5, factor: 3.86 };
/** SIGTERM's 10 s include Firestore's close: the goodbye to Slack gets at most this long. */
const DISCONNECT_DEADLINE_MS = 2_000;

export interface SocketMode {
  /** Bolt's receiver for the App: slash commands, events and interactivity arrive over the WebSocket. */
  receiver: SocketModeReceiver;
  /** Calls apps.connections.open and connects; a failure is logged, it does not stop the HTTP side. */
  start(): void;
  /** Closes the WebSocket (a normal closure, so Slack sends nothing more to this process). */
  stop(): Promise<void>;
}

/**
 * Socket Mode for local development against a real workspace (SLACK_APP_TOKEN): no public URL is needed for Slack.
 * Only the Slack requests move to the socket; the OAuth install, the link flow and GitHub's deliveries stay on HTTP.
 * The app token opens the connection only (apps.connections.open through SLACK_API_URL); listeners still get each
 * workspace's bot token from the installation store.
 */
export function createSocketMode(options: {
  appToken: string;
  /** Bolt's logger (debug already dropped: the socket client logs whole payloads there). */
  logger: SlackLogger;
  clientOptions: WebClientOptions;
  log: Logger;
}): SocketMode {
  const { appToken, logger, clientOptions, log } = options;
  const receiver = new SocketModeReceiver({
    appToken,
    logger,
    // Without clientId this receiver runs no install routes and no HTTP server of its own; it reads only the Web API
    // options here. apps.connections.open is retried (a network blip must not end Socket Mode); a copy, as the
    // socket client adds to what it is given.
    installerOptions: { clientOptions: { ...clientOptions, retryConfig: FIVE_RETRIES_IN_FIVE_MINUTES } },
  });
  const client = receiver.client;
  client.on('connected', () => log.info('Socket Mode connected'));
  client.on('reconnecting', () => log.info('Socket Mode reconnecting'));
  let stopped = false;

  return {
    receiver,
    start() {
      log.info({ slack_transport: 'socket_mode' }, 'Socket Mode is on: Slack requests arrive over a WebSocket');
      receiver.start().then(
        // A stop while apps.connections.open was in flight found no socket to close; close the one that came.
        () => (stopped ? client.disconnect() : undefined),
        (err: unknown) => {
          if (stopped) return;
          // Only what names the cause: a request error may carry the request, and with it the app token.
          log.error(
            { slack_error: slackErrorCode(err), code: toRecord(err)['code'] },
            'Socket Mode could not connect; check SLACK_APP_TOKEN (an app-level token with connections:write) and that Socket Mode is enabled for the app',
          );
        },
      );
    },
    async stop() {
      stopped = true;
      const deadline = new Promise<'late'>((resolve) =>
        setTimeout(() => resolve('late'), DISCONNECT_DEADLINE_MS).unref(),
      );
      if ((await Promise.race([client.disconnect().then(() => 'closed' as const), deadline])) === 'late')
        log.warn({ after_ms: DISCONNECT_DEADLINE_MS }, 'Socket Mode did not close in time; going on');
    },
  };
}
