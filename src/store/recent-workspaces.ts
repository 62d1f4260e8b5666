import { rememberCapped } from '../shared/capped-memory.js';
import type { WorkspaceRecord, WorkspaceStore } from './types.js';

/** About one entry per installed workspace this process posts to. */
const KEPT = 10_000;

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
  const recent = new Map<string, { record: WorkspaceRecord | null; at: number }>();
  // Counts this process's writes as they start and end: a read that overlapped one may be older than it, so it is
  // not kept (writes are rare: one counter for all workspaces is enough).
  let writes = 0;
  const read = async (workspaceId: string) => {
    const [at, writesBefore] = [options.now(), writes];
    const record = await store.get(workspaceId);
    if (writes === writesBefore) rememberCapped(recent, workspaceId, { record, at }, KEPT);
    return record;
  };
  const writing = async <T>(workspaceId: string, write: () => Promise<T>): Promise<T> => {
    writes += 1;
    recent.delete(workspaceId);
    try {
      return await write();
    } finally {
      writes += 1;
      recent.delete(workspaceId);
    }
  };
  return {
    ...store,
    get: read,
    async getRecent(workspaceId) {
      const kept = recent.get(workspaceId);
      if (kept && options.now() - kept.at < options.keepMs) return kept.record;
      return read(workspaceId);
    },
    saveInstallation: (input) => writing(input.workspaceId, () => store.saveInstallation(input)),
    markUninstalled: (input) => writing(input.workspaceId, () => store.markUninstalled(input)),
    replaceInstallation: (input) => writing(input.workspaceId, () => store.replaceInstallation(input)),
  };
}
