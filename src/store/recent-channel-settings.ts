import { createRecentMemory } from './recent-memory.js';
import type { ChannelSettings, ChannelSettingsStore } from './types.js';

/** How long another process's change of a channel's settings may go unseen by `getRecent`. */
const RECENT_SETTINGS_MS = 60_000;

/** A store's channel settings without `getRecent`: what the adapters implement. */
export type ChannelSettingsStoreBase = Omit<ChannelSettingsStore, 'getRecent'>;

/**
 * Adds `getRecent` to a channel settings store: each channel's settings as this process last read them, for up to
 * `keepMs` (see recent-memory.ts). Every run that sends thread replies needs them, and they change by hand, rarely.
 */
export function withRecentChannelSettings(
  store: ChannelSettingsStoreBase,
  options: { keepMs: number; now: () => number } = { keepMs: RECENT_SETTINGS_MS, now: () => performance.now() },
): ChannelSettingsStore {
  const memory = createRecentMemory<ChannelSettings>(options);
  const key = (workspaceId: string, channelId: string) => `${workspaceId}#${channelId}`;
  const read = (workspaceId: string, channelIds: readonly string[]) =>
    memory.read(
      () => store.get(workspaceId, channelIds),
      (answer) => [...answer].map(([channelId, settings]) => [key(workspaceId, channelId), settings] as const),
    );
  return {
    ...store,
    get: read,
    async getRecent(workspaceId, channelIds) {
      const found = new Map<string, ChannelSettings>();
      const unknown: string[] = [];
      for (const channelId of channelIds) {
        const kept = memory.kept(key(workspaceId, channelId));
        if (kept) found.set(channelId, kept.value);
        else unknown.push(channelId);
      }
      if (unknown.length > 0)
        for (const [channelId, settings] of await read(workspaceId, unknown)) found.set(channelId, settings);
      return found;
    },
    setThreads: (input) => memory.writing(key(input.workspaceId, input.channelId), () => store.setThreads(input)),
  };
}
