import { SocketModeReceiver } from '@slack/bolt';
import type { Logger as SlackLogger, WebClientOptions } from '@slack/web-api';
import { toRecord } from '../shared/json-reader.js';
import type { Logger } from '../log.js';
import { slackErrorCode, slackRetryAfterSeconds } from './slack-errors.js';

/** Waits before each reconnection attempt in a row: at once after a clean close, then backing off to a minute. */
const RECONNECT_DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
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
    // options here (a copy: the socket client writes into what it is given).
    installerOptions: { clientOptions: { ...clientOptions } },
    // Reconnection is ours: the client's own leaves a failed apps.connections.open as an unhandled rejection, which
    // ends the process (an app token revoked meanwhile, a Slack error while it refreshes the connection).
    autoReconnectEnabled: false,
  });
  const client = receiver.client;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = () => {
    receiver.start().then(
      // A stop while apps.connections.open was in flight found no socket to close; close the one that came.
      () => (stopped ? client.disconnect() : undefined),
      (err: unknown) => {
        if (stopped) return;
        // Only what names the cause: a request error may carry the request, and with it the app token.
        log.error(
          { slack_error: slackErrorCode(err), code: toRecord(err)['code'], attempt: failures + 1 },
          'Socket Mode could not connect; check SLACK_APP_TOKEN (an app-level token with connections:write) and that Socket Mode is enabled for the app',
        );
        failures += 1;
        reconnect(slackErrorCode(err) === 'ratelimited' ? slackRetryAfterSeconds(err) * 1000 : 0);
      },
    );
  };
  // One attempt pending at a time: a failed connection both rejects start() and reports the close.
  const reconnect = (atLeastMs: number) => {
    if (stopped || retry !== undefined) return;
    const delay = Math.max(atLeastMs, RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)] ?? 0);
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, delay);
  };
  client.on('connected', () => {
    failures = 0;
    log.info('Socket Mode connected');
  });
  // Slack closes connections now and then (it asks the app to reconnect first); so does a network change.
  client.on('disconnected', () => {
    if (stopped) return;
    log.info('Socket Mode connection closed; reconnecting');
    reconnect(0);
  });

  return {
    receiver,
    start() {
      log.info({ slack_transport: 'socket_mode' }, 'Socket Mode is on: Slack requests arrive over a WebSocket');
      connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const deadline = new Promise<'late'>((resolve) =>
        setTimeout(() => resolve('late'), DISCONNECT_DEADLINE_MS).unref(),
      );
      if ((await Promise.race([client.disconnect().then(() => 'closed' as const), deadline])) === 'late')
        log.warn({ after_ms: DISCONNECT_DEADLINE_MS }, 'Socket Mode did not close in time; going on');
    },
  };
}
