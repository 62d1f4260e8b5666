import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { resealInstallations } from '../../src/security/reseal-installations.js';
import { createTokenCipher } from '../../src/security/token-cipher.js';
import { createWorkspaceTokens } from '../../src/security/workspace-tokens.js';
import { createMemoryStore } from '../support/memory-store/index.js';
import type { WorkspaceStore } from '../../src/store/types.js';

const installation = (token: string): Installation => ({
  team: { id: 'T1', name: 'Acme' },
  enterprise: undefined,
  isEnterpriseInstall: false,
  user: { id: 'U1', token: undefined, scopes: undefined },
  bot: { token, userId: 'UB', id: 'B1', scopes: ['chat:write'] },
});

describe('re-sealing installations', () => {
  it('a reinstall between its read and its write wins, and is not re-sealed over', async () => {
    const { workspaces } = createMemoryStore();
    const key1 = randomBytes(32);
    const key2 = randomBytes(32);
    const old = createWorkspaceTokens({ workspaces, cipher: createTokenCipher({ keys: [key1] }) });
    const rotated = createWorkspaceTokens({ workspaces, cipher: createTokenCipher({ keys: [key2, key1] }) });
    const save = (encryptedInstallation: string) =>
      workspaces.saveInstallation({
        workspaceId: 'T1',
        teamName: 'Acme',
        enterpriseId: null,
        isEnterpriseInstall: false,
        botUserId: 'UB',
        encryptedInstallation,
        at: new Date(0),
      });
    await save(old.seal({ workspaceId: 'T1', installation: installation('xoxb-before') }));

    // The server reinstalls the workspace (sealing under the newest key) right after the command read it.
    let reinstalled = false;
    const racing: WorkspaceStore = {
      ...workspaces,
      async get(workspaceId) {
        const record = await workspaces.get(workspaceId);
        if (!reinstalled) {
          reinstalled = true;
          await save(rotated.seal({ workspaceId: 'T1', installation: installation('xoxb-after') }));
        }
        return record;
      },
    };
    const failures: string[] = [];
    const counts = await resealInstallations({
      workspaces: racing,
      tokens: rotated,
      now: () => new Date(1),
      onFailure: (f) => failures.push(f.workspaceId),
    });

    expect(counts).toEqual({ resealed: 0, current: 1, failed: 0, notInstalled: 0 });
    expect(failures).toEqual([]);
    expect(await rotated.botToken('T1')).toBe('xoxb-after');
  });
});
