import { createRecentMemory } from './recent-memory.js';
import type { WorkspaceRecord, WorkspaceStore } from './types.js';

/** How long another process's install or uninstall may go unseen by `getRecent`. */
const RECENT_WORKSPACE_MS = 60_000;

/** A store's workspaces without `getRecent`: what the adapters implement. */
export type WorkspaceStoreBase = Omit<WorkspaceStore, 'getRecent'>;

/**
 * Adds `getRecent` to a workspace store: the record as this process last read it, for up to `keepMs`. Every job of a
 * workspace needs its installation, and it almost never changes: one read per workspace per `keepMs` instead of one
 * per job. This process's own writes (an install, an uninstall, a re-seal) drop the memory, so they are seen at once;
 * another process's are seen within `keepMs`, and a caller that can notice a stale answer (Slack refusing the token)
 * reads again with `get`, which also renews the memory.
 */
export function withRecentReads(
  store: WorkspaceStoreBase,
  options: { keepMs: number; now: () => number } = { keepMs: RECENT_WORKSPACE_MS, now: () => performance.now() },
): WorkspaceStore {
  const memory = createRecentMemory<WorkspaceRecord | null>(options);
  const read = (workspaceId: string) =>
    memory.read(
      () => store.get(workspaceId),
      (record) => [[workspaceId, record]],
    );
  return {
    ...store,
    get: read,
    async getRecent(workspaceId) {
      const kept = memory.kept(workspaceId);
      return kept ? kept.value : read(workspaceId);
    },
    saveInstallation: (input) => memory.writing(input.workspaceId, () => store.saveInstallation(input)),
    markUninstalled: (input) => memory.writing(input.workspaceId, () => store.markUninstalled(input)),
    replaceInstallation: (input) => memory.writing(input.workspaceId, () => store.replaceInstallation(input)),
  };
}
