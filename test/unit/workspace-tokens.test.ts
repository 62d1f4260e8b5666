import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from '../../src/security/token-cipher.js';
import { createWorkspaceTokens } from '../../src/security/workspace-tokens.js';
import { createMemoryStore } from '../../src/store/memory/index.js';

const installation = (token: string): Installation => ({
  team: { id: 'T1', name: 'Acme' }, enterprise: undefined, isEnterpriseInstall: false,
  user: { id: 'U1', token: undefined, scopes: undefined }, bot: { token, userId: 'UB', id: 'B1', scopes: ['chat:write'] },
});

async function installed(token: string) {
  const store = createMemoryStore();
  const tokens = createWorkspaceTokens({ workspaces: store.workspaces, cipher: createTokenCipher(randomBytes(32)) });
  const install = (t: string, at: Date) => store.workspaces.saveInstallation({
    workspaceId: 'T1', teamName: 'Acme', enterpriseId: null, isEnterpriseInstall: false, botUserId: 'UB',
    encryptedInstallation: tokens.seal(installation(t)), at,
  });
  await install(token, new Date(0));
  return { store, tokens, install };
}

describe('workspace tokens', () => {
  it('seals the installation and gives back the bot token while installed', async () => {
    const { store, tokens } = await installed('xoxb-one');
    expect(await tokens.botToken('T1')).toBe('xoxb-one');
    expect((await store.workspaces.get('T1'))?.encryptedInstallation).not.toContain('xoxb-one');
    expect(await tokens.botToken('T-unknown')).toBeNull();
  });

  it('a rejected token uninstalls the workspace once, audit-logged with the reason', async () => {
    const { store, tokens } = await installed('xoxb-one');
    await tokens.uninstallRejected({ workspaceId: 'T1', token: 'xoxb-one', reason: 'token_revoked', at: new Date(1) });
    await tokens.uninstallRejected({ workspaceId: 'T1', token: 'xoxb-one', reason: 'token_revoked', at: new Date(2) });
    expect(await tokens.botToken('T1')).toBeNull();
    const audit = await store.audit.listForTeam('T1');
    expect(audit).toEqual([expect.objectContaining({ action: 'workspace.uninstall', actor: 'system', details: expect.objectContaining({ reason: 'token_revoked' }) })]);
  });

  it('a token rejected after a reinstall leaves the new installation alone', async () => {
    const { store, tokens, install } = await installed('xoxb-old');
    await install('xoxb-new', new Date(5));
    await tokens.uninstallRejected({ workspaceId: 'T1', token: 'xoxb-old', reason: 'invalid_auth', at: new Date(6) });
    expect(await tokens.botToken('T1')).toBe('xoxb-new');
    expect(await store.audit.listForTeam('T1')).toEqual([]);
  });
});
