import { describe, expect, it } from 'vitest';
import type { SaveInstallationInput, Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';

const install = (over: Partial<SaveInstallationInput> = {}): SaveInstallationInput => ({
  workspaceId: 'T1',
  teamName: 'Acme',
  enterpriseId: null,
  isEnterpriseInstall: false,
  botUserId: 'B1',
  encryptedInstallation: 'sealed-v1',
  at: T0,
  ...over,
});

export function describeWorkspaceContract(makeStore: () => Store | Promise<Store>): void {
  describe('workspaces', () => {
    it('stores an installation and reads it back; an unknown workspace is null', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(install());
      expect(await store.workspaces.get('T1')).toEqual({
        workspaceId: 'T1',
        teamName: 'Acme',
        enterpriseId: null,
        isEnterpriseInstall: false,
        botUserId: 'B1',
        encryptedInstallation: 'sealed-v1',
        installedAt: T0,
        uninstalledAt: null,
      });
      expect(await store.workspaces.get('T-unknown')).toBeNull();
    });

    it('keeps an org-wide install under its enterprise id', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(
        install({ workspaceId: 'E1', enterpriseId: 'E1', isEnterpriseInstall: true, teamName: null }),
      );
      expect(await store.workspaces.get('E1')).toMatchObject({
        enterpriseId: 'E1',
        isEnterpriseInstall: true,
        teamName: null,
      });
    });

    it('uninstall drops the tokens, records when, and audit-logs it', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(install());
      await store.workspaces.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at: T1 });

      expect(await store.workspaces.get('T1')).toMatchObject({
        encryptedInstallation: null,
        uninstalledAt: T1,
        installedAt: T0,
      });
      const audit = await store.audit.listForWorkspace('T1');
      expect(audit).toEqual([
        expect.objectContaining({ action: 'workspace.uninstall', actor: 'slack', target: 'T1', at: T1 }),
      ]);
      expect(audit[0]?.details).toMatchObject({ reason: 'app_uninstalled' });
    });

    it('a reinstall resumes the workspace with the new installation', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(install());
      await store.workspaces.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'tokens_revoked', at: T1 });
      await store.workspaces.saveInstallation(install({ encryptedInstallation: 'sealed-v2', botUserId: 'B2', at: T2 }));

      expect(await store.workspaces.get('T1')).toMatchObject({
        encryptedInstallation: 'sealed-v2',
        botUserId: 'B2',
        installedAt: T2,
        uninstalledAt: null,
      });
    });

    it('a conditional uninstall applies only while that installation is still the stored one', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(install());
      await store.workspaces.saveInstallation(install({ encryptedInstallation: 'sealed-v2', at: T1 }));
      // A token of the first installation was rejected: the reinstall must survive, with nothing audit-logged.
      await store.workspaces.markUninstalled({
        workspaceId: 'T1',
        actor: 'system',
        reason: 'invalid_auth',
        at: T2,
        onlyIfInstallation: 'sealed-v1',
      });
      expect(await store.workspaces.get('T1')).toMatchObject({
        encryptedInstallation: 'sealed-v2',
        uninstalledAt: null,
      });
      expect(await store.audit.listForWorkspace('T1')).toEqual([]);

      await store.workspaces.markUninstalled({
        workspaceId: 'T1',
        actor: 'system',
        reason: 'invalid_auth',
        at: T2,
        onlyIfInstallation: 'sealed-v2',
      });
      expect(await store.workspaces.get('T1')).toMatchObject({ encryptedInstallation: null, uninstalledAt: T2 });
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({ action: 'workspace.uninstall', actor: 'system' }),
      ]);
    });

    it('an uninstall of a workspace that never installed writes nothing, not even an audit entry', async () => {
      const store = await makeStore();
      await store.workspaces.markUninstalled({
        workspaceId: 'T-never',
        actor: 'slack',
        reason: 'app_uninstalled',
        at: T1,
      });
      await store.workspaces.markUninstalled({
        workspaceId: 'T-never',
        actor: 'slack',
        reason: 'tokens_revoked',
        at: T2,
      });
      expect(await store.workspaces.get('T-never')).toBeNull();
      expect(await store.audit.listForWorkspace('T-never')).toEqual([]);
      expect(await store.workspaces.listIds()).toEqual([]);
    });

    it('lists every workspace id, uninstalled ones included, in id order', async () => {
      const store = await makeStore();
      for (const workspaceId of ['T2', 'E1', 'T1']) await store.workspaces.saveInstallation(install({ workspaceId }));
      await store.workspaces.markUninstalled({ workspaceId: 'T2', actor: 'slack', reason: 'app_uninstalled', at: T1 });
      expect(await store.workspaces.listIds()).toEqual(['E1', 'T1', 'T2']);
    });

    it('replaces the sealed installation only while the expected one is still stored', async () => {
      const store = await makeStore();
      await store.workspaces.saveInstallation(install());
      expect(
        await store.workspaces.replaceInstallation({
          workspaceId: 'T1',
          expected: 'sealed-v1',
          replacement: 'resealed',
          at: T1,
        }),
      ).toBe(true);
      expect(await store.workspaces.get('T1')).toMatchObject({
        encryptedInstallation: 'resealed',
        installedAt: T0,
        uninstalledAt: null,
        botUserId: 'B1',
      });
      // Stale: someone (a reinstall, another re-seal) changed it meanwhile; theirs stays.
      expect(
        await store.workspaces.replaceInstallation({
          workspaceId: 'T1',
          expected: 'sealed-v1',
          replacement: 'stale',
          at: T2,
        }),
      ).toBe(false);
      expect(await store.workspaces.get('T1')).toMatchObject({ encryptedInstallation: 'resealed' });

      await store.workspaces.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at: T2 });
      expect(
        await store.workspaces.replaceInstallation({
          workspaceId: 'T1',
          expected: 'resealed',
          replacement: 'revived',
          at: T2,
        }),
      ).toBe(false);
      expect(await store.workspaces.get('T1')).toMatchObject({ encryptedInstallation: null, uninstalledAt: T2 });
      expect(
        await store.workspaces.replaceInstallation({
          workspaceId: 'T-unknown',
          expected: 'x',
          replacement: 'y',
          at: T2,
        }),
      ).toBe(false);
      expect(await store.workspaces.get('T-unknown')).toBeNull();
    });
  });
}
