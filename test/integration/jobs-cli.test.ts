import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createFirestoreQueue } from '../../src/store/queue/firestore-queue.js';
import { deadPatch, failurePatch, waitPatch } from '../../src/queue/transitions.js';
import { DEFAULT_RETRY_BUDGET } from '../../src/queue/retry-budget.js';
import { createTestFirestore, emulatorHost } from '../support/firestore.js';
import { VALID_ENV } from '../support/valid-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { db, projectId } = createTestFirestore('jobs-cli');
afterAll(() => db.terminate());
const { store } = createFirestoreQueue(db, { now: () => new Date() });

/** `npm run jobs -- …` as an operator runs it: its own process, this environment only, in a directory with no .env. */
function jobs(...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/jobs-cli.ts'), ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'jobs-cli-')),
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      METADATA_SERVER_DETECTION: 'none',
      ...VALID_ENV,
      LOG_LEVEL: 'warn',
      FIRESTORE_EMULATOR_HOST: emulatorHost(),
      GOOGLE_CLOUD_PROJECT: projectId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

const reconcile = (team: string) => ({
  id: `reconcile#${team}#octo-org%2Fhello-world#7`,
  kind: 'reconcile',
  keyMode: 'coalesce' as const,
  runAt: null,
  shard: 0,
  payload: { team_id: team, repo_full_name: 'octo-org/hello-world', pr_number: 7 },
});

/** Puts a job in a state the way the runner would: claim it, then settle it with `patch`. */
async function settleAs(id: string, patchOf: Parameters<typeof store.settle>[0]['change']) {
  const claimed = await store.claim({ id, owner: 'seed', leaseToken: `seed:${id}`, now: new Date(), leaseMs: 60_000 });
  if (!claimed) throw new Error(`could not claim ${id}`);
  await store.settle({ id, leaseToken: `seed:${id}`, change: patchOf });
}

// Each check runs the CLI as a process (a few seconds each on a busy machine).
describe('npm run jobs', { timeout: 60_000 }, () => {
  it('status counts due, retrying, waiting (by reason), running and dead jobs, with the oldest due age and dead jobs with their last error', async () => {
    const old = new Date(Date.now() - 90_000);
    await store.enqueue({ requests: ['TDUE', 'TRETRY', 'TWAIT', 'TDEAD1', 'TDEAD2'].map(reconcile), now: old });
    const now = () => new Date();
    await settleAs(
      reconcile('TRETRY').id,
      (job) =>
        failurePatch({
          job,
          owner: 'seed',
          now: now(),
          error: 'Slack chat.postMessage failed: http_503',
          notBefore: new Date(Date.now() + 600_000),
          budget: DEFAULT_RETRY_BUDGET,
          keepDeadMs: 1e9,
        }).patch,
    );
    await settleAs(reconcile('TWAIT').id, (job) =>
      waitPatch({ job, owner: 'seed', now: now(), until: new Date(Date.now() + 60_000), reason: 'slack_rate_limited' }),
    );
    await settleAs(reconcile('TDEAD1').id, () =>
      deadPatch({ now: now(), error: 'Slack chat.postMessage failed: http_500', keepDeadMs: 1e9 }),
    );
    await settleAs(reconcile('TDEAD2').id, () =>
      deadPatch({ now: now(), error: 'payload of a reconcile job does not decode', keepDeadMs: 1e9 }),
    );

    const { code, output } = await jobs('status');
    expect(code).toBe(0);
    expect(output).toContain('due now 1, retrying 1, waiting 1 (slack_rate_limited 1), running 0, dead 2');
    expect(output).toMatch(/oldest due job: (8\d|9\d|1\d\d) s overdue/);
    expect(output).toContain(`${reconcile('TDEAD1').id}  died`);
    expect(output).toContain('last error: Slack chat.postMessage failed: http_500');
  });

  it('retry makes a dead job pending again with a fresh budget; drop deletes dead jobs; neither touches a live job', async () => {
    const dead1 = reconcile('TDEAD1').id;
    expect(await jobs('retry', dead1)).toMatchObject({ code: 0, output: expect.stringContaining('pending again: 1') });
    expect(await store.get(dead1)).toMatchObject({
      status: 'pending',
      failingSince: null,
      failuresInRow: 0,
      lastError: null,
      attempts: 0,
    });
    // A live job is not the CLI's to change.
    expect(await jobs('drop', reconcile('TDUE').id)).toMatchObject({
      code: 1,
      output: expect.stringContaining('not dead (or not found)'),
    });
    expect(await store.get(reconcile('TDUE').id)).toMatchObject({ status: 'pending' });

    expect(await jobs('drop', '--all-dead')).toMatchObject({ code: 0, output: expect.stringContaining('dropped: 1') });
    expect(await store.get(reconcile('TDEAD2').id)).toBeNull();
    expect((await jobs('status')).output).toContain('dead 0');
  });

  it('explains its usage instead of guessing', async () => {
    expect(await jobs('retry')).toMatchObject({
      code: 2,
      output: expect.stringContaining('usage: npm run jobs -- status'),
    });
  });
});
