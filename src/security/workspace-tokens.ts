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
}

export function createWorkspaceTokens(options: { workspaces: WorkspaceStore; cipher: TokenCipher }): WorkspaceTokens {
  const { workspaces, cipher } = options;
  const open = (sealed: string): Installation => {
    const parsed: unknown = JSON.parse(cipher.decrypt(sealed));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('sealed installation is not an object');
    return parsed as Installation;
  };
  return {
    seal: (installation) => cipher.encrypt(JSON.stringify(installation)),
    open,
    async botToken(workspaceId) {
      const record = await workspaces.get(workspaceId);
      if (!record || record.uninstalledAt !== null || record.encryptedInstallation === null) return null;
      const token = open(record.encryptedInstallation).bot?.token;
      return typeof token === 'string' && token.length > 0 ? token : null;
    },
  };
}
