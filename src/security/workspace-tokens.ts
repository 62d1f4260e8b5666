import type { Installation } from '@slack/bolt';
import type { WorkspaceStore } from '../store/types.js';
import { parseInstallation, workspaceIdOf } from './installation-json.js';
import type { TokenCipher } from './token-cipher.js';
import { rememberCapped } from '../shared/capped-memory.js';

/**
 * Seals a Bolt installation for the `workspaces` collection and opens it again. The whole installation is
 * encrypted (bot and user tokens alike); only non-secret metadata is stored in the clear. A sealed installation
 * is bound to its workspace: it opens only for the workspace id it was sealed for, and only if the installation
 * inside belongs to that workspace (which also guards legacy v1 values, sealed without that binding).
 */
export interface WorkspaceTokens {
  seal(input: { workspaceId: string; installation: Installation }): string;
  /** Throws SealedValueError or SealedInstallationError when it does not open as this workspace's installation. */
  open(input: { workspaceId: string; sealed: string }): Installation;
  /** The same installation sealed under the newest key, or null when it already is; throws as `open` does. */
  reseal(input: { workspaceId: string; sealed: string }): string | null;
  /** The bot token of an installed workspace; null when it was never installed or has been uninstalled. */
  botToken(workspaceId: string): Promise<string | null>;
  /**
   * As `botToken`, from a read up to a minute old (WorkspaceStore.getRecent): for the pipeline's jobs, which call
   * `uninstallRejected` when Slack refuses it and run again with the token stored now.
   */
  recentBotToken(workspaceId: string): Promise<string | null>;
  /**
   * Slack refused this bot token for good (invalid_auth, token_revoked, account_inactive): uninstall the workspace,
   * audit-logged once, unless it was reinstalled with another token meanwhile (`replaced`: use that one). A reinstall
   * resumes it.
   */
  uninstallRejected(input: {
    workspaceId: string;
    token: string;
    reason: string;
    at: Date;
  }): Promise<'uninstalled' | 'replaced'>;
}

/** A sealed installation that opened, but is another workspace's: copied between documents, so never used. */
export class SealedInstallationError extends Error {
  constructor(workspaceId: string) {
    super(`the sealed installation stored for workspace ${workspaceId} belongs to another workspace; it is not used`);
    this.name = 'SealedInstallationError';
  }
}

/** Opened bot tokens kept in memory: about one per installed workspace. */
const OPENED_TOKENS_KEPT = 10_000;

/** Associated data of a workspace's sealed installation. Fixed text: changing it would make every value unreadable. */
const contextOf = (workspaceId: string) => `workspaces/${workspaceId}`;

export function createWorkspaceTokens(options: { workspaces: WorkspaceStore; cipher: TokenCipher }): WorkspaceTokens {
  const { workspaces, cipher } = options;
  const seal: WorkspaceTokens['seal'] = ({ workspaceId, installation }) =>
    cipher.encrypt({ plain: JSON.stringify(installation), context: contextOf(workspaceId) });
  const open: WorkspaceTokens['open'] = ({ workspaceId, sealed }) => {
    const installation = parseInstallation(cipher.decrypt({ sealed, context: contextOf(workspaceId) }));
    if (workspaceIdOf(installation) !== workspaceId) throw new SealedInstallationError(workspaceId);
    return installation;
  };
  // Every job of a workspace opens the same sealed value: the bot token it opened to, by workspace and sealed value
  // (a new installation is a new sealed value; memory that already holds the tokens, bounded).
  const opened = new Map<string, string | null>();
  const botTokenOf = (workspaceId: string, sealed: string): string | null => {
    const cacheKey = `${workspaceId}\n${sealed}`;
    const known = opened.get(cacheKey);
    if (known !== undefined) return known;
    const token = open({ workspaceId, sealed }).bot?.token;
    const found = typeof token === 'string' && token.length > 0 ? token : null;
    rememberCapped(opened, cacheKey, found, OPENED_TOKENS_KEPT);
    return found;
  };
  /** The stored installation of a workspace that is installed and has a bot token. */
  const current = async (
    workspaceId: string,
    read: 'fresh' | 'recent' = 'fresh',
  ): Promise<{ token: string; sealed: string } | null> => {
    const record = await (read === 'recent' ? workspaces.getRecent(workspaceId) : workspaces.get(workspaceId));
    if (!record || record.uninstalledAt !== null || record.encryptedInstallation === null) return null;
    const token = botTokenOf(workspaceId, record.encryptedInstallation);
    return token === null ? null : { token, sealed: record.encryptedInstallation };
  };
  return {
    seal,
    open,
    reseal({ workspaceId, sealed }) {
      // Opened even when current: a value that does not open for this workspace is reported, never re-sealed.
      const installation = open({ workspaceId, sealed });
      return cipher.isCurrent(sealed) ? null : seal({ workspaceId, installation });
    },
    async botToken(workspaceId) {
      return (await current(workspaceId))?.token ?? null;
    },
    async recentBotToken(workspaceId) {
      return (await current(workspaceId, 'recent'))?.token ?? null;
    },
    async uninstallRejected(input) {
      // Read afresh (which renews the recent memory): the refused token may be one a reinstall replaced.
      const installed = await current(input.workspaceId);
      if (!installed) return 'uninstalled';
      if (installed.token !== input.token) return 'replaced';
      await workspaces.markUninstalled({
        workspaceId: input.workspaceId,
        actor: 'system',
        reason: input.reason,
        at: input.at,
        onlyIfInstallation: installed.sealed,
      });
      return 'uninstalled';
    },
  };
}
