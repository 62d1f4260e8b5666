import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { beginInstall, finishInstall, startSlackSide } from '../slack/slack-test-kit.js';
import type { TestApp } from '../support/test-app.js';

/** Every document in the app's Firestore project, whatever its collection. */
async function countDocuments(db: Firestore): Promise<number> {
  const collections = await db.listCollections();
  const sizes = await Promise.all(collections.map(async (c) => (await c.get()).size));
  return sizes.reduce((a, b) => a + b, 0);
}

describe('the install state is stateless until the callback (anonymous visitors write nothing)', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  // The app's clock: a test moves it forward to let a state expire.
  let offsetMs = 0;
  beforeAll(async () => ({ t, close } = await startSlackSide({ now: () => new Date(Date.now() + offsetMs) })));
  afterAll(() => close());

  it('100 anonymous GET and 5 HEAD /slack/install write 0 documents, and each gets its own state cookie', async () => {
    const before = await countDocuments(t.deps.db);
    const states = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const state = new URL(res.headers.get('location') ?? '').searchParams.get('state') ?? '';
      expect(res.headers.get('set-cookie')).toContain(`slack-app-oauth-state=${state};`);
      states.add(state);
    }
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${t.baseUrl}/slack/install`, { method: 'HEAD', redirect: 'manual' })).status).toBe(302);
    }
    expect(states.size).toBe(100);
    expect(await countDocuments(t.deps.db)).toBe(before);
  });

  it('the state cookie lives as long as the state (15 minutes) and is HttpOnly', async () => {
    const res = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Max-Age=900');
  });

  it('the install still completes through the real routes, and its state then works no more', async () => {
    const attempt = await beginInstall(t, {
      workspaceId: 'TSTATEA',
      teamName: 'Stateless',
      botToken: 'xoxb-stateless',
    });
    const done = await finishInstall(attempt);
    expect(done.status).toBe(200);
    expect(done.html).toContain('installed in Stateless');
    await expect(t.deps.store.workspaces.get('TSTATEA')).resolves.toMatchObject({ uninstalledAt: null });

    const again = await finishInstall(attempt);
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');
  });

  it('a state replayed with another code (a second use) installs nothing', async () => {
    const first = await beginInstall(t, { workspaceId: 'TSTATEB', botToken: 'xoxb-b' });
    expect((await finishInstall(first)).status).toBe(200);
    // The same state and cookie, with a fresh code for another workspace.
    const second = await beginInstall(t, { workspaceId: 'TSTATEC', botToken: 'xoxb-c' });
    const code = new URL(second.callbackUrl).searchParams.get('code') ?? '';
    const replay = first.callbackUrl.replace(/code=[^&]+/, `code=${encodeURIComponent(code)}`);
    const res = await finishInstall({ ...first, callbackUrl: replay });
    expect(res.status).toBe(400);
    expect(res.html).toContain('already used');
    await expect(t.deps.store.workspaces.get('TSTATEC')).resolves.toBeNull();
  });

  it("a state without its cookie, or with another browser's cookie, is refused and installs nothing", async () => {
    const victim = await beginInstall(t, { workspaceId: 'TSTATED', botToken: 'xoxb-d' });
    const attacker = await beginInstall(t, { workspaceId: 'TSTATEE', botToken: 'xoxb-e' });
    for (const cookie of ['', attacker.cookie]) {
      const res = await finishInstall({ ...victim, cookie });
      expect(res.status).toBe(400);
      expect(res.html).toContain('not valid for this browser');
    }
    await expect(t.deps.store.workspaces.get('TSTATED')).resolves.toBeNull();
    // Refusing them did not burn the state: the browser that started the install still finishes it.
    expect((await finishInstall(victim)).status).toBe(200);
  });

  it('a state signed by someone else is refused', async () => {
    const attempt = await beginInstall(t, { workspaceId: 'TSTATEF', botToken: 'xoxb-f' });
    const state = new URL(attempt.callbackUrl).searchParams.get('state') ?? '';
    const forged = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await finishInstall({
      ...attempt,
      callbackUrl: attempt.callbackUrl.replace(state, forged),
      cookie: `slack-app-oauth-state=${forged}`,
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain('not issued by this app');
    await expect(t.deps.store.workspaces.get('TSTATEF')).resolves.toBeNull();
  });

  it('a state older than 15 minutes is refused as expired', async () => {
    const attempt = await beginInstall(t, { workspaceId: 'TSTATEG', botToken: 'xoxb-g' });
    offsetMs = 15 * 60_000 + 1_000;
    try {
      const res = await finishInstall(attempt);
      expect(res.status).toBe(400);
      expect(res.html).toContain('has expired');
    } finally {
      offsetMs = 0;
    }
    await expect(t.deps.store.workspaces.get('TSTATEG')).resolves.toBeNull();
  });
});
