import type { Installation } from '@slack/bolt';
import type { WorkspaceStore } from '../store/types.js';
import type { TokenCipher } from './token-cipher.js';

/**
 * Seals a Bolt installation for the `workspaces` collection and opens it again. The whole installation is
 * encrypted (bot and user tokens alike); only non-secret metadata is stored in the clear.
 */
export interface WorkspaceTokens {
  seal(installation: Installation): string;
  open(sealed: string): Installation;
  /** The bot token of an installed workspace; null when it was never installed or has been uninstalled. */
  botToken(workspaceId: string): Promise<string | null>;
  /**
   * Slack refused this bot token for good (invalid_auth, token_revoked, account_inactive): uninstall the workspace,
   * audit-logged once, unless it was reinstalled with another token meanwhile. A reinstall resumes it.
   */
  uninstallRejected(input: { workspaceId: string; token: string; reason: string; at: Date }): Promise<void>;
}

export function createWorkspaceTokens(options: { workspaces: WorkspaceStore; cipher: TokenCipher }): WorkspaceTokens {
  const { workspaces, cipher } = options;
  const open = (sealed: string): Installation => {
    const parsed: unknown = JSON.parse(cipher.decrypt(sealed));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('sealed installation is not an object');
    return parsed as Installation;
  };
  /** The stored installation of a workspace that is installed and has a bot token. */
  const current = async (workspaceId: string): Promise<{ token: string; sealed: string } | null> => {
    const record = await workspaces.get(workspaceId);
    if (!record || record.uninstalledAt !== null || record.encryptedInstallation === null) return null;
    const token = open(record.encryptedInstallation).bot?.token;
    return typeof token === 'string' && token.length > 0 ? { token, sealed: record.encryptedInstallation } : null;
  };
  return {
    seal: (installation) => cipher.encrypt(JSON.stringify(installation)),
    open,
    async botToken(workspaceId) {
      return (await current(workspaceId))?.token ?? null;
    },
    async uninstallRejected(input) {
      const installed = await current(input.workspaceId);
      if (!installed || installed.token !== input.token) return;
      await workspaces.markUninstalled({
        workspaceId: input.workspaceId, actor: 'system', reason: input.reason, at: input.at, onlyIfInstallation: installed.sealed,
      });
    },
  };
}
