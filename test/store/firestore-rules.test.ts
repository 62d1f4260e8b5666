import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { setLogLevel } from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { emulatorHost } from '../support/firestore.js';
import { compileRules } from './rules-compiler.js';

const RULES = readFileSync(new URL('../../firestore.rules', import.meta.url), 'utf8');

function emulator(): { host: string; port: number } {
  const [host = '', port = ''] = emulatorHost().split(':');
  return { host, port: Number(port) };
}

// Every denial is expected here; the client SDK would log each one as an error.
setLogLevel('silent');

let env: RulesTestEnvironment;

beforeAll(async () => {
  env = await initializeTestEnvironment({
    projectId: `rules-${randomUUID().slice(0, 8)}`,
    firestore: { ...emulator(), rules: RULES },
  });
  // Existing documents in every collection, so reads are denied for what is there, not only for what is absent.
  await env.withSecurityRulesDisabled(async (admin) => {
    for (const name of Object.values(COLLECTIONS)) {
      await admin.firestore().collection(name).doc('existing').set({ slack_team_id: 'T1' });
    }
  });
});
afterAll(() => env.cleanup());

const clients: [string, () => RulesTestContext][] = [
  ['an unauthenticated client', () => env.unauthenticatedContext()],
  ['a signed-in client', () => env.authenticatedContext('alice', { email: 'alice@example.com' })],
];

describe('firestore.rules deny every client access', () => {
  for (const [who, context] of clients) {
    for (const name of Object.values(COLLECTIONS)) {
      it(`${who} can neither read nor write ${name}`, async () => {
        const db = context().firestore();
        await assertFails(db.collection(name).doc('existing').get());
        await assertFails(db.collection(name).get());
        await assertFails(db.collection(name).doc('new').set({ slack_team_id: 'T1' }));
        await assertFails(db.collection(name).doc('existing').update({ slack_team_id: 'T2' }));
        await assertFails(db.collection(name).doc('existing').delete());
      });
    }
  }

  it('the server (rules bypassed) still reads what clients cannot', async () => {
    await env.withSecurityRulesDisabled(async (admin) => {
      await assertSucceeds(admin.firestore().collection(COLLECTIONS.workspaces).doc('existing').get());
    });
  });
});

describe('the rules text itself', () => {
  const projectId = () => `rules-compile-${randomUUID().slice(0, 8)}`;

  it('firestore.rules compiles with no error and no warning', async () => {
    expect(await compileRules({ emulatorHost: emulatorHost(), projectId: projectId(), rules: RULES })).toEqual({
      ok: true,
      issues: [],
    });
  });

  it('a syntax error is rejected by the emulator', async () => {
    const broken = RULES.replace('if false;', 'if false &&;');
    expect(broken).not.toBe(RULES);
    const result = await compileRules({ emulatorHost: emulatorHost(), projectId: projectId(), rules: broken });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('Error compiling rules') });
    await expect(
      initializeTestEnvironment({ projectId: projectId(), firestore: { ...emulator(), rules: broken } }),
    ).rejects.toThrow(/Error compiling rules/);
  });

  it('a typo the emulator only warns about is caught as an issue', async () => {
    const typo = RULES.replace('allow read, write', 'allow read, wrte');
    expect(typo).not.toBe(RULES);
    const result = await compileRules({ emulatorHost: emulatorHost(), projectId: projectId(), rules: typo });
    expect(result).toEqual({
      ok: true,
      issues: [expect.objectContaining({ description: 'Invalid method name: wrte.' })],
    });
  });

  it('control: permissive rules would let the same client in, so the denials above come from firestore.rules', async () => {
    const open = `rules_version = '2';
service cloud.firestore { match /databases/{database}/documents { match /{document=**} { allow read, write: if true; } } }`;
    const openEnv = await initializeTestEnvironment({
      projectId: projectId(),
      firestore: { ...emulator(), rules: open },
    });
    try {
      await assertSucceeds(
        openEnv.authenticatedContext('alice').firestore().collection(COLLECTIONS.repos).doc('x').set({ a: 1 }),
      );
    } finally {
      await openEnv.cleanup();
    }
  });
});
