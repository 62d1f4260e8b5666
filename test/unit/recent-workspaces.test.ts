import { describe, expect, it } from 'vitest';
import { withRecentReads, type WorkspaceStoreBase } from '../../src/store/recent-workspaces.js';
import type { SaveInstallationInput } from '../../src/store/types.js';
import { createMemoryAuditLog } from '../support/memory-store/audit-log.js';
import { createSerial } from '../support/memory-store/serial.js';
import { createMemoryWorkspaceStore } from '../support/memory-store/workspace-store.js';

const KEEP_MS = 60_000;

const install = (sealed: string, at = new Date(0)): SaveInstallationInput => ({
  workspaceId: 'T1',
  teamName: 'Acme',
  enterpriseId: null,
  isEnterpriseInstall: false,
  botUserId: 'UB',
  encryptedInstallation: sealed,
  at,
});

/** One stored workspaces collection and two processes, each with its own memory, on a clock the test moves. */
function twoProcesses() {
  const serial = createSerial();
  const shared = createMemoryWorkspaceStore({ serial, audit: createMemoryAuditLog(serial) });
  let clock = 0;
  const process = (base: WorkspaceStoreBase = shared) => withRecentReads(base, { keepMs: KEEP_MS, now: () => clock });
  return { shared, a: process(), b: process(), process, advance: (ms: number) => void (clock += ms) };
}

const sealedOf = async (read: Promise<{ encryptedInstallation: string | null } | null>) =>
  (await read)?.encryptedInstallation;

describe('recent workspace reads', () => {
  it('answer from memory until another process’s reinstall is at most a minute old; a fresh read sees it at once', async () => {
    const { a, b, advance } = twoProcesses();
    await a.saveInstallation(install('sealed-1'));
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-1');
    await b.saveInstallation(install('sealed-2'));
    advance(KEEP_MS - 1);
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-1');
    advance(1);
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-2');
    await b.saveInstallation(install('sealed-3'));
    // `get` reads afresh and renews the memory.
    expect(await sealedOf(a.get('T1'))).toBe('sealed-3');
    await b.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at: new Date(1) });
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-3');
  });

  it('see this process’s own uninstall, reinstall and re-seal at once', async () => {
    const { a } = twoProcesses();
    await a.saveInstallation(install('sealed-1'));
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-1');
    await a.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at: new Date(1) });
    expect((await a.getRecent('T1'))?.uninstalledAt).toEqual(new Date(1));
    await a.saveInstallation(install('sealed-2', new Date(2)));
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-2');
    expect(
      await a.replaceInstallation({
        workspaceId: 'T1',
        expected: 'sealed-2',
        replacement: 'sealed-3',
        at: new Date(3),
      }),
    ).toBe(true);
    expect(await sealedOf(a.getRecent('T1'))).toBe('sealed-3');
  });

  it('do not keep a read that this process’s own write overtook', async () => {
    const { shared, process } = twoProcesses();
    await shared.saveInstallation(install('sealed-1'));
    // The first read is answered (with the old installation) but arrives only after this process's uninstall.
    let deliver = (): void => undefined;
    let reads = 0;
    const slowStore: WorkspaceStoreBase = {
      ...shared,
      get: async (id) => {
        const answer = await shared.get(id);
        if ((reads += 1) === 1) await new Promise<void>((resolve) => (deliver = resolve));
        return answer;
      },
    };
    const a = process(slowStore);
    const slowRead = a.getRecent('T1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await a.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at: new Date(1) });
    deliver();
    expect(await sealedOf(slowRead)).toBe('sealed-1');
    // The next read goes to the store rather than to the overtaken answer.
    expect((await a.getRecent('T1'))?.uninstalledAt).toEqual(new Date(1));
    expect(reads).toBe(2);
  });
});
