import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, SERVER_ENV, type SpawnedServer } from '../support/spawn-server.js';

const running: SpawnedServer[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

describe('npm start against Cloud Firestore', () => {
  it('without Google credentials, stops with one sentence naming what to set: exit 1, no stack trace', async () => {
    // An empty HOME has no gcloud application-default credentials; metadata-server detection is off (no network).
    const home = mkdtempSync(join(tmpdir(), 'no-gcloud-'));
    const server = await spawnServer({ ...SERVER_ENV, GOOGLE_CLOUD_PROJECT: 'demo-no-credentials', HOME: home });
    running.push(server);
    expect(await server.exited).toBe(1);
    const out = server.output();
    expect(out).toContain('No Google credentials found for Cloud Firestore (project demo-no-credentials');
    expect(out).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).not.toContain('pr-notifier listening');
  }, 45_000);
});
