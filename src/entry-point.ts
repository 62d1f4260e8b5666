import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.js';

/**
 * How every entry point (the server, operator commands such as `npm run reseal-tokens`) reads its configuration:
 * a local .env for convenience (real environment variables win), then loadConfig. Bad configuration prints the one
 * error naming every bad variable and exits 1. Only entry points call this: nothing below them reads process.env.
 */
export function loadEntryPointConfig(): Config {
  loadDotEnv();
  return configOrExit(process.env);
}

/** loadConfig(env), or the one configuration error on stderr and exit 1 (local mode passes an env of its own). */
export function configOrExit(env: Record<string, string | undefined>): Config {
  try {
    const config = loadConfig(env);
    // Off Google Cloud there is no metadata server to probe; on Cloud Run credentials come from it.
    if (config.firestore.kind !== 'cloud') process.env['METADATA_SERVER_DETECTION'] ??= 'none';
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example and the README's configuration table.\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Reads `.env` from the working directory into process.env, if there is one; variables already set win. */
export function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}
