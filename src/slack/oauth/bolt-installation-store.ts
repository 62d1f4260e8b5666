import type { InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { WorkspaceTokens } from '../../security/workspace-tokens.js';
import type { AuditLog, WorkspaceStore } from '../../store/types.js';

/** The `workspaces` document id of an installation: the enterprise id for an org-wide install, else the team id. */
export function toWorkspaceId(source: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string;
  teamId?: string;
}): string | null {
  if (source.isEnterpriseInstall && source.enterpriseId) return source.enterpriseId;
  return source.teamId ?? null;
}

/**
 * Bolt InstallationStore on `workspaces`: the whole installation is sealed (AES-GCM) before it is written,
 * so no token is ever stored in the clear. A reinstall overwrites the record and clears `uninstalled_at`.
 */
export function createBoltInstallationStore(options: {
  workspaces: WorkspaceStore;
  audit: AuditLog;
  tokens: WorkspaceTokens;
  log: Logger;
  now: () => Date;
}): InstallationStore {
  const { workspaces, audit, tokens, log, now } = options;
  return {
    async storeInstallation(installation) {
      const isEnterpriseInstall = installation.isEnterpriseInstall === true;
      const workspaceId = toWorkspaceId({
        isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      if (workspaceId === null) throw new Error('installation has neither a team nor an enterprise id');
      const at = now();
      await workspaces.saveInstallation({
        workspaceId,
        teamName: installation.team?.name ?? installation.enterprise?.name ?? null,
        enterpriseId: installation.enterprise?.id ?? null,
        isEnterpriseInstall,
        botUserId: installation.bot?.userId ?? null,
        encryptedInstallation: tokens.seal({ workspaceId, installation }),
        at,
      });
      const actor = installation.user.id || 'slack';
      await audit.record({
        workspaceId,
        actor,
        action: 'workspace.install',
        target: workspaceId,
        at,
        details: { enterprise_install: isEnterpriseInstall },
      });
      log.info({ team_id: workspaceId, enterprise_install: isEnterpriseInstall }, 'workspace installed');
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const workspaceId = toWorkspaceId(query);
      const record = workspaceId === null ? null : await workspaces.get(workspaceId);
      if (
        workspaceId === null ||
        record === null ||
        record.uninstalledAt !== null ||
        record.encryptedInstallation === null
      ) {
        throw new Error(`no active installation for ${workspaceId ?? 'unknown workspace'}`);
      }
      try {
        // Opened as the workspace that asked, not as the document claims to be: a copied document does not open.
        return tokens.open({ workspaceId, sealed: record.encryptedInstallation });
      } catch (err) {
        log.error({ team_id: workspaceId, err }, 'stored installation refused: it does not open as this workspace’s');
        throw err;
      }
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const workspaceId = toWorkspaceId(query);
      if (workspaceId === null) return;
      await workspaces.markUninstalled({ workspaceId, actor: 'slack', reason: 'installation deleted', at: now() });
    },
  };
}
