import type { Server } from 'node:http';
import { createApp } from './app.js';
import { googleCloudProjectOf } from './config.js';
import { loadEntryPointConfig } from './entry-point.js';
import { createLogger, type Logger } from './log.js';
import { createTokenCipher } from './security/token-cipher.js';
import { createWorkspaceTokens } from './security/workspace-tokens.js';
import { createSlackClient } from './slack-client.js';
import { createFirestoreStore } from './store/firestore/index.js';
import { openFirestore } from './store/open-firestore.js';

/** Composition root: configuration comes from loadEntryPointConfig (the .env file and process.env). */
const SHUTDOWN_DEADLINE_MS = 9_000;
/** In-flight HTTP requests (a webhook being stored) get this long after SIGTERM. */
const REQUEST_GRACE_MS = 3_000;

async function main(): Promise<void> {
  const config = loadEntryPointConfig();
  const log = createLogger({ level: config.logLevel, traceProjectId: googleCloudProjectOf(config) });
  const firestore = await openFirestore(config.firestore, log);
  const store = createFirestoreStore(firestore.db);
  const app = createApp({
    config,
    log,
    db: firestore.db,
    store,
    slack: createSlackClient({ apiUrl: config.slack.apiUrl, log }),
    tokens: createWorkspaceTokens({
      workspaces: store.workspaces,
      cipher: createTokenCipher({ keys: config.tokenEncryptionKeys }),
    }),
    now: () => new Date(),
  });
  const server = app.http.listen(config.port, config.host, () => {
    log.info({ host: config.host, port: config.port, baseUrl: config.baseUrl }, 'pr-notifier listening');
  });
  app.start();
  onShutdown(log, async () => {
    // At once and side by side: stop taking requests, and stop claiming jobs (each step bounded, so the whole
    // shutdown ends within CONTRACT.md's 10 s whatever the backlog or however slow Slack and Firestore are).
    await Promise.all([closeServer(server, { graceMs: REQUEST_GRACE_MS }), app.stop()]);
    await firestore.close();
  });
}

function onShutdown(log: Logger, shutdown: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing work in flight');
    setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    shutdown().then(
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

main().catch((err: unknown) => {
  process.stderr.write(`pr-notifier failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
