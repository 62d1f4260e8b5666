import { spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Installation } from '@slack/bolt';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenCipher, keyIdOf } from '../../src/security/token-cipher.js';
import { createWorkspaceTokens } from '../../src/security/workspace-tokens.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createTestFirestore, emulatorHost } from '../support/firestore.js';
import { VALID_ENV } from '../support/valid-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { db, projectId } = createTestFirestore('reseal');
const store = createFirestoreStore(db);
afterAll(() => db.terminate());

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const b64 = (key: Buffer) => key.toString('base64');
const tokensUnder = (...keys: Buffer[]) =>
  createWorkspaceTokens({ workspaces: store.workspaces, cipher: createTokenCipher({ keys }) });

const installation = (o: { workspaceId: string; token: string; enterpriseId?: string }): Installation => ({
  team: { id: o.workspaceId, name: o.workspaceId },
  enterprise: o.enterpriseId ? { id: o.enterpriseId, name: 'Org' } : undefined,
  isEnterpriseInstall: o.enterpriseId !== undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: { token: o.token, userId: 'UBOT', id: 'BBOT', scopes: ['chat:write'] },
});

/** How the previous release sealed: `v1.<iv>.<tag>.<ciphertext>`, no key id, no associated data. */
function sealV1(key: Buffer, value: Installation): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url')).join('.');
}

const save = (workspaceId: string, encryptedInstallation: string) =>
  store.workspaces.saveInstallation({
    workspaceId,
    teamName: workspaceId,
    enterpriseId: null,
    isEnterpriseInstall: false,
    botUserId: 'UBOT',
    encryptedInstallation,
    at: new Date(),
  });
const sealedOf = async (workspaceId: string) =>
  (await store.workspaces.get(workspaceId))?.encryptedInstallation ?? null;

/** `npm run reseal-tokens` as an operator runs it: its own process, this environment only, in a directory with no .env. */
function reseal(tokenEncryptionKey: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/reseal-tokens.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'reseal-')),
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      METADATA_SERVER_DETECTION: 'none',
      ...VALID_ENV,
      LOG_LEVEL: 'info',
      FIRESTORE_EMULATOR_HOST: emulatorHost(),
      GOOGLE_CLOUD_PROJECT: projectId,
      TOKEN_ENCRYPTION_KEY: tokenEncryptionKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run reseal-tokens', () => {
  it('rotates keys: re-seals v1 and old-key installations under the newest key, after which the old key can go', async () => {
    const old = tokensUnder(key1);
    await save(
      'TONE',
      old.seal({ workspaceId: 'TONE', installation: installation({ workspaceId: 'TONE', token: 'xoxb-one-secret' }) }),
    );
    await save('TLEGACY', sealV1(key1, installation({ workspaceId: 'TLEGACY', token: 'xoxb-legacy-secret' })));
    await save(
      'EORG',
      old.seal({
        workspaceId: 'EORG',
        installation: installation({ workspaceId: 'TMEMBER', enterpriseId: 'EORG', token: 'xoxb-org-secret' }),
      }),
    );
    await save(
      'TGONE',
      old.seal({
        workspaceId: 'TGONE',
        installation: installation({ workspaceId: 'TGONE', token: 'xoxb-gone-secret' }),
      }),
    );
    await store.workspaces.markUninstalled({
      workspaceId: 'TGONE',
      actor: 'slack',
      reason: 'app_uninstalled',
      at: new Date(),
    });
    // A legacy installation copied into another workspace's document: it must be reported, never re-sealed as that workspace's.
    const copied = sealV1(key1, installation({ workspaceId: 'TONE', token: 'xoxb-one-secret' }));
    await save('TCOPY', copied);
    // A whole document copied under another workspace's id: also reported, and its source not visited twice.
    const tone = await db.collection(COLLECTIONS.workspaces).doc(ids.workspace('TONE')).get();
    await db
      .collection(COLLECTIONS.workspaces)
      .doc(ids.workspace('TWHOLE'))
      .set(tone.data() ?? {});

    const first = await reseal(`${b64(key2)},${b64(key1)}`);
    expect(first.output).toContain(`under key ${keyIdOf(key2)} (the newest of 2 configured)`);
    expect(first.output).toContain('resealed 3, already current 0, failed 2, not installed 1');
    expect(first.output).toMatch(/failed: workspace TCOPY: SealedInstallationError/);
    expect(first.output).toMatch(/failed: workspace TWHOLE: StoreDataError: .*field "workspace_id" should be "TWHOLE"/);
    expect(first.output).not.toContain('xoxb');
    expect(first.output).not.toContain(b64(key1));
    expect(first.output).not.toContain(b64(key2));
    expect(first.code).toBe(1);

    for (const workspaceId of ['TONE', 'TLEGACY', 'EORG'])
      expect(await sealedOf(workspaceId)).toMatch(new RegExp(`^v2\\.${keyIdOf(key2)}\\.`));
    expect(await sealedOf('TCOPY')).toBe(copied);
    expect(
      (await db.collection(COLLECTIONS.workspaces).doc(ids.workspace('TWHOLE')).get()).get('installation_encrypted'),
    ).toBe(tone.get('installation_encrypted'));
    expect(await sealedOf('TGONE')).toBeNull();

    // The old key is no longer needed.
    const onlyNew = tokensUnder(key2);
    expect(await onlyNew.botToken('TONE')).toBe('xoxb-one-secret');
    expect(await onlyNew.botToken('TLEGACY')).toBe('xoxb-legacy-secret');
    expect(await onlyNew.botToken('EORG')).toBe('xoxb-org-secret');

    // Running it again changes nothing; with the copies removed it succeeds.
    for (const copy of ['TCOPY', 'TWHOLE'])
      await db.collection(COLLECTIONS.workspaces).doc(ids.workspace(copy)).delete();
    const again = await reseal(`${b64(key2)},${b64(key1)}`);
    expect(again.output).toContain('resealed 0, already current 3, failed 0, not installed 1');
    expect(again.code).toBe(0);
    const newOnly = await reseal(b64(key2));
    expect(newOnly.output).toContain('resealed 0, already current 3, failed 0, not installed 1');
    expect(newOnly.code).toBe(0);
  }, 90_000);

  it('refuses a malformed key list, naming the variable without echoing the keys', async () => {
    const { code, output } = await reseal(`${b64(key2)},not-a-key-but-a-secret`);
    expect(code).toBe(1);
    expect(output).toMatch(/TOKEN_ENCRYPTION_KEY is malformed \(key 2 of 2\)/);
    expect(output).not.toContain('not-a-key-but-a-secret');
    expect(output).not.toContain(b64(key2));
  }, 30_000);
});
