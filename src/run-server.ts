import type { Server } from 'node:http';
import { createAppDeps } from './app-deps.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { openFirestore } from './store/open-firestore.js';

/** In-flight HTTP requests (a webhook being stored) get this long after SIGTERM. */
const REQUEST_GRACE_MS = 3_000;
/** The whole stop (requests, jobs, the emulator's export) ends within CONTRACT.md's 10 s. */
const SHUTDOWN_DEADLINE_MS = 9_000;

export interface RunningServer {
  /** Stops taking requests and jobs, then closes Firestore (exporting the embedded emulator's data). */
  stop(): Promise<void>;
}

/** Opens Firestore, builds the app from `config` and listens. Shared by `npm start` and local mode. */
export async function runServer(options: { config: Config; log: Logger }): Promise<RunningServer> {
  const { config, log } = options;
  const firestore = await openFirestore(config.firestore, log);
  const app = createApp(createAppDeps({ config, log, db: firestore.db }));
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.http.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  }).catch(async (err: unknown) => {
    await firestore.close();
    throw err;
  });
  log.info({ host: config.host, port: config.port, baseUrl: config.baseUrl }, 'pr-notifier listening');
  app.start();
  return {
    stop: async () => {
      // At once and side by side: stop taking requests, and stop claiming jobs (each step bounded, so the whole
      // shutdown ends within CONTRACT.md's 10 s whatever the backlog or however slow Slack and Firestore are).
      await Promise.all([closeServer(server, { graceMs: REQUEST_GRACE_MS }), app.stop()]);
      await firestore.close();
    },
  };
}

/**
 * SIGTERM and SIGINT (Ctrl-C signals the whole foreground process group) run `stop` once, then exit 0; a stop that
 * fails or takes longer than the deadline exits 1.
 */
export function stopOnSignals(options: { log: Logger; stop: () => Promise<void> }): void {
  const { log } = options;
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing work in flight');
    setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    options.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/**
 * Stops accepting connections and lets in-flight requests finish for `graceMs`; idle keep-alive sockets are closed
 * at once, and whatever is still open after the grace is cut (a keep-alive client would otherwise hold it open).
 */
function closeServer(server: Server, options: { graceMs: number }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), options.graceMs).unref();
  });
}
