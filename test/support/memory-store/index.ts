import type { Store, SubscriptionStore } from '../../../src/store/types.js';
import { withWriteCount } from '../../../src/store/subscription-writes.js';
import { createMemoryAuditLog } from './audit-log.js';
import { createMemoryChannelSettingsStore } from './channel-settings-store.js';
import { createMemoryOAuthStateStore } from './oauth-state-store.js';
import { createSerial } from './serial.js';
import { createMemorySubscriptionStore, type MemorySubscriptionStore } from './subscription-store.js';
import { createMemoryUserStore } from './user-store.js';
import { createMemoryWorkspaceStore } from './workspace-store.js';
import { withRecentReads } from '../../../src/store/recent-workspaces.js';
import { withRecentChannelSettings } from '../../../src/store/recent-channel-settings.js';

export interface MemoryStoreOptions {
  /** Readiness answer, so tests can exercise /readyz failing; default always ready. */
  isAvailable?: () => boolean;
}

/** The in-memory fake of the store, for logic tests (every method is told its time by the caller). Held to the same contract suite as the Firestore store. */
/** The store, with the memory subscriptions' revisions (for the in-memory subscriber-notice store). */
export interface MemoryStore extends Store {
  subscriptions: MemorySubscriptionStore & Pick<SubscriptionStore, 'writesSoFar'>;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  // One serial section for the whole store: like a Firestore transaction, a call never sees another half-done.
  const serial = createSerial();
  const audit = createMemoryAuditLog(serial);
  return {
    workspaces: withRecentReads(createMemoryWorkspaceStore({ serial, audit })),
    users: createMemoryUserStore({ serial, audit }),
    subscriptions: withWriteCount(createMemorySubscriptionStore({ serial, audit })),
    channelSettings: withRecentChannelSettings(createMemoryChannelSettingsStore({ serial, audit })),
    oauthStates: createMemoryOAuthStateStore({ serial }),
    audit,
    ping: async () => options.isAvailable?.() ?? true,
  };
}
