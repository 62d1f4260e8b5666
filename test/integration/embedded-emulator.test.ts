import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportMetadataPath, recoverExport } from '../../src/store/emulator-data.js';
import { createFirestore } from '../../src/store/firestore-client.js';
import { spawnEmbedded, spawnServer, SERVER_ENV, type SpawnedServer } from '../support/spawn-server.js';

const running: SpawnedServer[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

describe('the embedded Firestore emulator of npm start', () => {
  it('without Java: one sentence saying what to install, exit 1, no stack trace', async () => {
    const server = await spawnServer({
      ...SERVER_ENV,
      PATH: '/nonexistent',
      FIRESTORE_DATA_DIR: mkdtempSync(join(tmpdir(), 'no-java-')),
    });
    running.push(server);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('Java was not found on PATH');
    expect(server.output()).toContain('openjdk-17-jre-headless');
    expect(server.output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('with a missing jar: names FIRESTORE_EMULATOR_JAR', async () => {
    const server = await spawnServer({
      ...SERVER_ENV,
      FIRESTORE_EMULATOR_JAR: '/nonexistent/emulator.jar',
      FIRESTORE_DATA_DIR: mkdtempSync(join(tmpdir(), 'no-jar-')),
    });
    running.push(server);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('Firestore emulator jar not found at /nonexistent/emulator.jar');
    expect(server.output()).toContain('FIRESTORE_EMULATOR_JAR');
    expect(server.output()).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe('local data across Ctrl-C', () => {
  it('SIGINT to the whole process group, as a terminal sends it, keeps the data for the next start', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ctrl-c-')), 'firestore');
    const first = await spawnEmbedded(dataDir, { detached: true });
    running.push(first.server);
    const db = createFirestore({ emulatorHost: first.emulatorHost, projectId: 'pr-notifier-local' });
    await db.doc('workspaces/T_CTRL_C').set({ workspace_id: 'T_CTRL_C' });
    await db.terminate();
    process.kill(-(first.server.child.pid ?? 0), 'SIGINT');
    expect(await first.server.exited, first.server.output()).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(['export']);

    const second = await spawnEmbedded(dataDir);
    running.push(second.server);
    const db2 = createFirestore({ emulatorHost: second.emulatorHost, projectId: 'pr-notifier-local' });
    expect((await db2.doc('workspaces/T_CTRL_C').get()).data()).toEqual({ workspace_id: 'T_CTRL_C' });
    await db2.terminate();
  }, 90_000);
});

describe('local data across a stop cut short', () => {
  const exportAt = (dir: string, name: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'export.overall_export_metadata'), name);
  };

  it('a swap cut short (only export.previous left) brings the previous export back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recover-'));
    exportAt(dir, 'export.previous');
    mkdirSync(join(dir, '.staging-abc', 'export'), { recursive: true });
    recoverExport(dir);
    expect(existsSync(exportMetadataPath(dir))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['export']);
  });

  it('a complete export wins over a leftover previous one, and half-written staging folders are dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recover-'));
    exportAt(dir, 'export');
    exportAt(dir, 'export.previous');
    mkdirSync(join(dir, '.staging-xyz'));
    recoverExport(dir);
    expect(readdirSync(dir)).toEqual(['export']);
  });
});
