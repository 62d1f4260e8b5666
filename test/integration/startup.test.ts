import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFirestore } from '../../src/store/firestore-client.js';
import { emulatorHost } from '../support/firestore.js';
import {
  spawnEmbedded,
  spawnServer,
  SERVER_ENV,
  waitForHttp,
  waitReady,
  type SpawnedServer,
} from '../support/spawn-server.js';

const running: SpawnedServer[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

async function start(env: Record<string, string>): Promise<SpawnedServer> {
  const server = await spawnServer(env);
  running.push(server);
  return server;
}

async function stopWithSigterm(server: SpawnedServer): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  return { code, ms: Date.now() - t0 };
}

describe('npm start', () => {
  it('refuses to start without configuration, naming every missing variable in one error', async () => {
    const server = await start({ TOKEN_ENCRYPTION_KEY: 'this-is-not-a-valid-key-but-a-secret' });
    expect(await server.exited).toBe(1);
    const out = server.output();
    for (const name of [
      'SLACK_CLIENT_ID',
      'SLACK_CLIENT_SECRET',
      'SLACK_SIGNING_SECRET',
      'SLACK_STATE_SECRET',
      'GITHUB_WEBHOOK_SECRET',
      'GITHUB_CLIENT_ID',
      'GITHUB_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]) {
      expect(out).toContain(name);
    }
    expect(out.match(/Invalid configuration/g)).toHaveLength(1);
    expect(out).not.toContain('this-is-not-a-valid-key-but-a-secret');
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('serves health, readiness and the landing page on an emulator, and stops cleanly on SIGTERM', async () => {
    const server = await start({
      ...SERVER_ENV,
      FIRESTORE_EMULATOR_HOST: emulatorHost(),
      GOOGLE_CLOUD_PROJECT: 'startup-test',
    });
    expect((await waitForHttp(server, '/healthz')).status).toBe(200);
    await waitReady(server);
    const landing = await fetch(server.baseUrl + '/');
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain('Add to Slack');
    expect(html).toContain('href="/slack/install"');
    const { code, ms } = await stopWithSigterm(server);
    expect(code, server.output()).toBe(0);
    expect(ms).toBeLessThan(10_000);
  }, 40_000);

  it('reports not ready (503) while Firestore does not answer, but stays alive', async () => {
    const server = await start({ ...SERVER_ENV, FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'down' });
    expect((await waitForHttp(server, '/healthz')).status).toBe(200);
    expect((await fetch(server.baseUrl + '/readyz')).status).toBe(503);
    expect((await fetch(server.baseUrl + '/healthz')).status).toBe(200);
    const { code, ms } = await stopWithSigterm(server);
    expect(code, server.output()).toBe(0);
    expect(ms).toBeLessThan(10_000);
  }, 40_000);

  it('starts an embedded emulator when no Firestore is configured, keeps its data across restarts, and stops it', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'notifier-data-')), 'firestore');
    const first = await spawnEmbedded(dataDir);
    running.push(first.server);
    const db = createFirestore({ emulatorHost: first.emulatorHost, projectId: 'pr-notifier-local' });
    await db.doc('workspaces/T_PERSIST').set({ workspace_id: 'T_PERSIST' });
    await db.terminate();
    const { code, ms } = await stopWithSigterm(first.server);
    expect(code, first.server.output()).toBe(0);
    expect(ms).toBeLessThan(10_000);
    // The emulator went away with the server.
    await expect(fetch(`http://${first.emulatorHost}/`)).rejects.toThrow();

    const second = await spawnEmbedded(dataDir);
    running.push(second.server);
    const db2 = createFirestore({ emulatorHost: second.emulatorHost, projectId: 'pr-notifier-local' });
    expect((await db2.doc('workspaces/T_PERSIST').get()).data()).toEqual({ workspace_id: 'T_PERSIST' });
    await db2.terminate();
    expect((await stopWithSigterm(second.server)).code).toBe(0);
  }, 90_000);
});
