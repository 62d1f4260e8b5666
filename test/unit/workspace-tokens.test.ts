import { createCipheriv, randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SealedValueError } from '../../src/security/sealed-format.js';
import { createTokenCipher } from '../../src/security/token-cipher.js';
import { createWorkspaceTokens, SealedInstallationError } from '../../src/security/workspace-tokens.js';
import { createMemoryStore } from '../support/memory-store/index.js';

const installation = (token: string, workspaceId = 'T1'): Installation => ({
  team: { id: workspaceId, name: 'Acme' },
  enterprise: undefined,
  isEnterpriseInstall: false,
  user: { id: 'U1', token: undefined, scopes: undefined },
  bot: { token, userId: 'UB', id: 'B1', scopes: ['chat:write'] },
});

/** How the previous release sealed an installation: v1, no key id, no associated data. */
function sealV1(key: Buffer, value: Installation): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url')).join('.');
}

async function installed(token: string) {
  const store = createMemoryStore();
  const key = randomBytes(32);
  const tokens = createWorkspaceTokens({ workspaces: store.workspaces, cipher: createTokenCipher({ keys: [key] }) });
  const install = (t: string, at: Date) =>
    store.workspaces.saveInstallation({
      workspaceId: 'T1',
      teamName: 'Acme',
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: 'UB',
      encryptedInstallation: tokens.seal({ workspaceId: 'T1', installation: installation(t) }),
      at,
    });
  await install(token, new Date(0));
  return { store, tokens, install, key };
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
    const refused = (at: Date) =>
      tokens.uninstallRejected({ workspaceId: 'T1', token: 'xoxb-one', reason: 'token_revoked', at });
    expect(await refused(new Date(1))).toBe('uninstalled');
    expect(await refused(new Date(2))).toBe('uninstalled');
    expect(await tokens.botToken('T1')).toBeNull();
    const audit = await store.audit.listForWorkspace('T1');
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'workspace.uninstall',
        actor: 'system',
        details: expect.objectContaining({ reason: 'token_revoked' }),
      }),
    ]);
  });

  it('a token rejected after a reinstall leaves the new installation alone', async () => {
    const { store, tokens, install } = await installed('xoxb-old');
    await install('xoxb-new', new Date(5));
    expect(
      await tokens.uninstallRejected({ workspaceId: 'T1', token: 'xoxb-old', reason: 'invalid_auth', at: new Date(6) }),
    ).toBe('replaced');
    expect(await tokens.botToken('T1')).toBe('xoxb-new');
    expect(await store.audit.listForWorkspace('T1')).toEqual([]);
  });

  it('an installation copied into another workspace’s document gives that workspace no token', async () => {
    const { store, tokens } = await installed('xoxb-one');
    const copied = (await store.workspaces.get('T1'))?.encryptedInstallation ?? '';
    await store.workspaces.saveInstallation({
      workspaceId: 'T2',
      teamName: 'Other',
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: 'UB',
      encryptedInstallation: copied,
      at: new Date(1),
    });
    await expect(tokens.botToken('T2')).rejects.toBeInstanceOf(SealedValueError);
    expect(() => tokens.open({ workspaceId: 'T2', sealed: copied })).toThrow(SealedValueError);
  });

  it('opens a legacy v1 installation for its own workspace only', async () => {
    const { tokens, key } = await installed('xoxb-one');
    const legacy = sealV1(key, installation('xoxb-legacy', 'T1'));
    expect(tokens.open({ workspaceId: 'T1', sealed: legacy }).bot?.token).toBe('xoxb-legacy');
    // v1 has no associated data: the team id inside is what says whose it is.
    expect(() => tokens.open({ workspaceId: 'T2', sealed: legacy })).toThrow(SealedInstallationError);
  });

  it('refuses an installation sealed for a workspace id that is not its own (defence in depth)', async () => {
    const { tokens } = await installed('xoxb-one');
    const mislabelled = tokens.seal({ workspaceId: 'T2', installation: installation('xoxb-one', 'T1') });
    expect(() => tokens.open({ workspaceId: 'T2', sealed: mislabelled })).toThrow(SealedInstallationError);
  });

  it('an org-wide install belongs to its enterprise id', async () => {
    const { tokens } = await installed('xoxb-one');
    const orgWide: Installation = {
      ...installation('xoxb-org', 'T9'),
      enterprise: { id: 'E1', name: 'Org' },
      isEnterpriseInstall: true,
    };
    expect(
      tokens.open({ workspaceId: 'E1', sealed: tokens.seal({ workspaceId: 'E1', installation: orgWide }) }).bot?.token,
    ).toBe('xoxb-org');
    expect(() =>
      tokens.open({ workspaceId: 'T9', sealed: tokens.seal({ workspaceId: 'T9', installation: orgWide }) }),
    ).toThrow(SealedInstallationError);
  });

  it('a sealed value that is not an installation fails without quoting the secret text', () => {
    const key = randomBytes(32);
    const cipher = createTokenCipher({ keys: [key] });
    const tokens = createWorkspaceTokens({ workspaces: createMemoryStore().workspaces, cipher });
    for (const plain of ['xoxb-plain-not-json', JSON.stringify({ bot: { token: 'xoxb-no-team' } })]) {
      const sealed = cipher.encrypt({ plain, context: 'workspaces/T1' });
      let message = '';
      try {
        tokens.open({ workspaceId: 'T1', sealed });
      } catch (err) {
        message = err instanceof Error ? err.message : String(err);
      }
      expect(message).toMatch(/^sealed installation/);
      expect(message).not.toContain('xoxb');
    }
  });

  it('re-seals v1 and older-key values under the newest key, and leaves current ones alone', async () => {
    const key1 = randomBytes(32);
    const key2 = randomBytes(32);
    const { workspaces } = createMemoryStore();
    const old = createWorkspaceTokens({ workspaces, cipher: createTokenCipher({ keys: [key1] }) });
    const rotated = createWorkspaceTokens({ workspaces, cipher: createTokenCipher({ keys: [key2, key1] }) });
    const onlyNew = createWorkspaceTokens({ workspaces, cipher: createTokenCipher({ keys: [key2] }) });
    for (const sealed of [
      old.seal({ workspaceId: 'T1', installation: installation('xoxb-r') }),
      sealV1(key1, installation('xoxb-r')),
    ]) {
      const resealed = rotated.reseal({ workspaceId: 'T1', sealed }) ?? '';
      expect(resealed.startsWith('v2.')).toBe(true);
      expect(onlyNew.open({ workspaceId: 'T1', sealed: resealed }).bot?.token).toBe('xoxb-r');
      expect(rotated.reseal({ workspaceId: 'T1', sealed: resealed })).toBeNull();
    }
    const copied = old.seal({ workspaceId: 'T1', installation: installation('xoxb-r') });
    expect(() => rotated.reseal({ workspaceId: 'T2', sealed: copied })).toThrow(SealedValueError);
  });
});
