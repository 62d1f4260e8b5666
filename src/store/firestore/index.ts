import type { Firestore } from '@google-cloud/firestore';
import type { Store } from '../types.js';
import { createFirestoreAuditLog } from './audit-log.js';
import { createFirestoreChannelSettingsStore } from './channel-settings-store.js';
import { createBatchedDocIo, type DocIo } from './doc-io.js';
import { createFirestoreOAuthStateStore } from './oauth-state-store.js';
import { createReadinessProbe } from './readiness.js';
import { createFirestoreSubscriptionStore } from './subscription-store.js';
import { createTransactionRunner } from './transactions.js';
import { createFirestoreUserStore } from './user-store.js';
import { createFirestoreWorkspaceStore } from './workspace-store.js';
import { withRecentReads } from '../recent-workspaces.js';
import { withRecentChannelSettings } from '../recent-channel-settings.js';
import { withWriteCount } from '../subscription-writes.js';

export { StoreDataError } from './decode.js';

const PING_TIMEOUT_MS = 2_000;

export interface FirestoreStoreOptions {
  /** How long readiness waits for Firestore before answering false. */
  pingTimeoutMs?: number;
  /** Single-document reads and writes; shared with the pipeline so that their reads in one turn go as one batch. */
  io?: DocIo;
}

/** The store on Firestore (Admin SDK; client access is denied by firestore.rules). */
export function createFirestoreStore(db: Firestore, options: FirestoreStoreOptions = {}): Store {
  const deps = { db, transactions: createTransactionRunner(db), io: options.io ?? createBatchedDocIo(db) };
  return {
    workspaces: withRecentReads(createFirestoreWorkspaceStore(deps)),
    users: createFirestoreUserStore(deps),
    subscriptions: withWriteCount(createFirestoreSubscriptionStore(deps)),
    channelSettings: withRecentChannelSettings(createFirestoreChannelSettingsStore(deps)),
    oauthStates: createFirestoreOAuthStateStore(deps),
    audit: createFirestoreAuditLog(db),
    ping: createReadinessProbe({ db, timeoutMs: options.pingTimeoutMs ?? PING_TIMEOUT_MS }),
  };
}
