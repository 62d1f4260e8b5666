import type { Firestore } from '@google-cloud/firestore';
import type { WebClient } from '@slack/web-api';
import type { Express } from 'express';
import type { Config } from './config.js';
import { createGitHubApi, type GitHubApi } from './github-api/index.js';
import type { Logger } from './log.js';
import { createTokenCipher } from './security/token-cipher.js';
import { createWorkspaceTokens, type WorkspaceTokens } from './security/workspace-tokens.js';
import { createSlackClient } from './slack-client.js';
import { createSlackMessenger } from './slack/slack-messenger.js';
import type { SlackMessenger } from './pipeline/ports.js';
import { createFirestoreStore } from './store/firestore/index.js';
import { createBatchedDocIo, type DocIo } from './store/firestore/doc-io.js';
import type { Store } from './store/types.js';

/** Everything a feature may depend on, built once by main.ts (or a test) and passed down. */
export interface AppDeps {
  config: Config;
  log: Logger;
  db: Firestore;
  /** Single-document reads and writes, batched per turn of the event loop; the store and the pipeline share it. */
  io: DocIo;
  store: Store;
  /** The one Slack WebClient; callers pass each workspace's token per call. */
  slack: WebClient;
  /** The pipeline's Slack port on that client, one for the process (it remembers people's DM channels). */
  messenger: SlackMessenger;
  /** Seals installations and reads bot tokens back (AES-256-GCM under TOKEN_ENCRYPTION_KEY). */
  tokens: WorkspaceTokens;
  /**
   * The one GitHub client (OAuth, repo access through the GitHub App, with its installation tokens cached); its
   * `teams` is the pipeline's GithubTeams port (a team's members, for team review requests).
   */
  github: GitHubApi;
  now: () => Date;
}

/** A feature mounts its routes and may run background work that must stop cleanly on SIGTERM. */
export interface Feature {
  mount(app: Express): void;
  start?(): void;
  stop?(): Promise<void>;
}

/**
 * The app's dependencies from its configuration, a Firestore client and a logger: the Firestore store, the one Slack
 * WebClient and the token sealing under TOKEN_ENCRYPTION_KEY. Used by the server, local mode's demo and the tests.
 */
export function createAppDeps(options: {
  config: Config;
  log: Logger;
  db: Firestore;
  now?: () => Date;
  /** Slack Web API timeout; the client's default when absent. */
  slackTimeoutMs?: number;
}): AppDeps {
  const { config, log, db } = options;
  const io = createBatchedDocIo(db);
  const store = createFirestoreStore(db, { io });
  const now = options.now ?? (() => new Date());
  const slack = createSlackClient({
    apiUrl: config.slack.apiUrl,
    log,
    ...(options.slackTimeoutMs !== undefined ? { timeoutMs: options.slackTimeoutMs } : {}),
  });
  return {
    config,
    log,
    db,
    io,
    store,
    slack,
    messenger: createSlackMessenger(slack),
    tokens: createWorkspaceTokens({
      workspaces: store.workspaces,
      cipher: createTokenCipher({ keys: config.tokenEncryptionKeys }),
    }),
    github: createGitHubApi({ config: config.github, now, log }),
    now,
  };
}
