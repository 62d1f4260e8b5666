import type { ChannelSettingsStoreBase } from '../../../src/store/recent-channel-settings.js';
import { ids } from '../../../src/store/ids.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../../../src/store/types.js';
import type { MemoryAuditLog } from './audit-log.js';
import type { Serial } from './serial.js';

export function createMemoryChannelSettingsStore(options: {
  serial: Serial;
  audit: MemoryAuditLog;
}): ChannelSettingsStoreBase {
  const { serial, audit } = options;
  const stored = new Map<string, ChannelSettings>();

  return {
    get: (workspaceId, channelIds) =>
      serial(() => {
        const settings = new Map<string, ChannelSettings>();
        for (const channelId of channelIds) {
          const found = stored.get(ids.channelSettings(workspaceId, channelId));
          settings.set(channelId, { ...(found ?? DEFAULT_CHANNEL_SETTINGS) });
        }
        return settings;
      }),
    setThreads: (input) =>
      serial(() => {
        stored.set(ids.channelSettings(input.workspaceId, input.channelId), { threads: input.threads });
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'channel.settings',
          target: input.channelId,
          at: input.at,
          details: { threads: input.threads },
        });
      }),
  };
}
