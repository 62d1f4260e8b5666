import type { ChannelSettingsStoreBase } from '../recent-channel-settings.js';
import { COLLECTIONS, ids } from '../ids.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../types.js';
import { recordInTransaction } from './audit-log.js';
import { readFields } from './decode.js';
import type { StoreDeps } from './store-deps.js';

/**
 * `channel_settings/{team}#{channel}`: `slack_team_id`, `channel_id`, `threads`, `updated_at`, `updated_by`.
 * A channel without a document has the defaults.
 */
export function createFirestoreChannelSettingsStore(options: StoreDeps): ChannelSettingsStoreBase {
  const { db, transactions, io } = options;
  const ref = (workspaceId: string, channelId: string) =>
    db.collection(COLLECTIONS.channelSettings).doc(ids.channelSettings(workspaceId, channelId));

  return {
    async get(workspaceId, channelIds) {
      const unique = [...new Set(channelIds)];
      const settings = new Map<string, ChannelSettings>();
      if (unique.length === 0) return settings;
      const snaps = await io.getAll(unique.map((channelId) => ref(workspaceId, channelId)));
      unique.forEach((channelId, i) => {
        const snap = snaps[i];
        if (!snap?.exists) {
          settings.set(channelId, { ...DEFAULT_CHANNEL_SETTINGS });
          return;
        }
        const f = readFields(snap.ref.path, snap.data());
        settings.set(channelId, { threads: f.booleanOr('threads', DEFAULT_CHANNEL_SETTINGS.threads) });
      });
      return settings;
    },
    async setThreads(input) {
      const doc = ref(input.workspaceId, input.channelId);
      await transactions.run(doc.path, async (tx) => {
        tx.set(
          doc,
          {
            slack_team_id: input.workspaceId,
            channel_id: input.channelId,
            threads: input.threads,
            updated_at: input.at,
            updated_by: input.actor,
          },
          { merge: true },
        );
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'channel.settings',
          target: input.channelId,
          at: input.at,
          details: { threads: input.threads },
        });
      });
    },
  };
}
