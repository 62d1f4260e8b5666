import type { WorkspaceStoreBase } from '../../../src/store/recent-workspaces.js';
import type { WorkspaceRecord } from '../../../src/store/types.js';
import type { MemoryAuditLog } from './audit-log.js';
import { copy, type Serial } from './serial.js';

export function createMemoryWorkspaceStore(options: { serial: Serial; audit: MemoryAuditLog }): WorkspaceStoreBase {
  const { serial, audit } = options;
  const workspaces = new Map<string, WorkspaceRecord>();
  return {
    saveInstallation: (input) =>
      serial(() => {
        workspaces.set(input.workspaceId, {
          workspaceId: input.workspaceId,
          teamName: input.teamName,
          enterpriseId: input.enterpriseId,
          isEnterpriseInstall: input.isEnterpriseInstall,
          botUserId: input.botUserId,
          encryptedInstallation: input.encryptedInstallation,
          installedAt: input.at,
          uninstalledAt: null,
        });
      }),
    get: (workspaceId) =>
      serial(() => {
        const found = workspaces.get(workspaceId);
        return found ? copy(found) : null;
      }),
    markUninstalled: (input) =>
      serial(() => {
        const current = workspaces.get(input.workspaceId);
        // Never installed: nothing to record (as on Firestore).
        if (!current) return;
        if (input.onlyIfInstallation !== undefined && current.encryptedInstallation !== input.onlyIfInstallation)
          return;
        workspaces.set(input.workspaceId, { ...current, encryptedInstallation: null, uninstalledAt: input.at });
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'workspace.uninstall',
          target: input.workspaceId,
          at: input.at,
          details: { reason: input.reason },
        });
      }),
    listIds: () => serial(() => [...workspaces.keys()].sort()),
    replaceInstallation: (input) =>
      serial(() => {
        const current = workspaces.get(input.workspaceId);
        if (!current || current.encryptedInstallation !== input.expected) return false;
        workspaces.set(input.workspaceId, { ...current, encryptedInstallation: input.replacement });
        return true;
      }),
  };
}
