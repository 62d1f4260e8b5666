import type { WorkspaceStore } from '../store/types.js';
import type { WorkspaceTokens } from './workspace-tokens.js';

export interface ResealCounts {
  /** Re-sealed under the newest key (from v1, or from an older key). */
  resealed: number;
  /** Already v2 under the newest key. */
  current: number;
  /** Did not open as this workspace's installation, or kept changing under us; left as it was. */
  failed: number;
  /** No stored installation (uninstalled). */
  notInstalled: number;
}

export type ResealOutcome = 'resealed' | 'current' | 'failed' | 'notInstalled';

/** A concurrent reinstall or re-seal changes the stored value; retry a few times, then report the workspace. */
const ATTEMPTS = 3;

/**
 * Re-seals every workspace's installation under the newest key (v1 → v2, older key → newest), each in a
 * transaction that writes only while the stored value is the one that was read. One workspace's failure never
 * stops the others. `onFailure` hears which workspace failed and why (messages carry no token or key).
 */
export async function resealInstallations(options: {
  workspaces: WorkspaceStore;
  tokens: WorkspaceTokens;
  now: () => Date;
  onFailure: (failure: { workspaceId: string; reason: string }) => void;
}): Promise<ResealCounts> {
  const counts: ResealCounts = { resealed: 0, current: 0, failed: 0, notInstalled: 0 };
  for (const workspaceId of await options.workspaces.listIds()) {
    let outcome: ResealOutcome;
    try {
      outcome = await resealOne({ ...options, workspaceId });
    } catch (err) {
      outcome = 'failed';
      options.onFailure({
        workspaceId,
        reason: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error',
      });
    }
    counts[outcome] += 1;
  }
  return counts;
}

async function resealOne(options: {
  workspaces: WorkspaceStore;
  tokens: WorkspaceTokens;
  now: () => Date;
  workspaceId: string;
  onFailure: (failure: { workspaceId: string; reason: string }) => void;
}): Promise<ResealOutcome> {
  const { workspaces, tokens, workspaceId } = options;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const record = await workspaces.get(workspaceId);
    const sealed = record?.encryptedInstallation ?? null;
    if (sealed === null) return 'notInstalled';
    const replacement = tokens.reseal({ workspaceId, sealed });
    if (replacement === null) return 'current';
    if (await workspaces.replaceInstallation({ workspaceId, expected: sealed, replacement, at: options.now() }))
      return 'resealed';
  }
  options.onFailure({
    workspaceId,
    reason: `its installation changed during each of ${ATTEMPTS} attempts; run the command again`,
  });
  return 'failed';
}
