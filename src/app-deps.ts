import type { Firestore } from '@google-cloud/firestore';
import type { WebClient } from '@slack/web-api';
import type { Express } from 'express';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { WorkspaceTokens } from './security/workspace-tokens.js';
import type { Store } from './store/types.js';

/** Everything a feature may depend on, built once by main.ts (or a test) and passed down. */
export interface AppDeps {
  config: Config;
  log: Logger;
  db: Firestore;
  store: Store;
  /** The one Slack WebClient; callers pass each workspace's token per call. */
  slack: WebClient;
  /** Seals installations and reads bot tokens back (AES-256-GCM under TOKEN_ENCRYPTION_KEY). */
  tokens: WorkspaceTokens;
  now: () => Date;
}

/** A feature mounts its routes and may run background work that must stop cleanly on SIGTERM. */
export interface Feature {
  mount(app: Express): void;
  start?(): void;
  stop?(): Promise<void>;
}
