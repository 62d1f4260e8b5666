import { googleCloudProjectOf } from './config.js';
import { loadEntryPointConfig } from './entry-point.js';
import { createLogger } from './log.js';
import { runServer, stopOnSignals } from './run-server.js';

/** Composition root: configuration comes from loadEntryPointConfig (the .env file and process.env). */
async function main(): Promise<void> {
  const config = loadEntryPointConfig();
  const log = createLogger({ level: config.logLevel, traceProjectId: googleCloudProjectOf(config) });
  const server = await runServer({ config, log });
  stopOnSignals({ log, stop: server.stop });
}

main().catch((err: unknown) => {
  process.stderr.write(`pr-notifier failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
