import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import type { TestApp } from '../support/test-app.js';
import { beginInstall, finishInstall, installViaOAuth, startSlackSide } from './slack-test-kit.js';

describe('Slack OAuth v2 install through the real routes', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  beforeAll(async () => ({ t, close } = await startSlackSide()));
  afterAll(() => close());

  it('sends the browser to SLACK_AUTHORIZE_URL with the bot scopes, a signed state and our redirect URL', async () => {
    const start = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(t.slack.authorizeUrl);
    expect(url.searchParams.get('scope')?.split(',')).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'chat:write.public',
        'channels:join',
        'groups:read',
        'users:read',
      ]),
    );
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/slack/oauth_redirect`);
    expect(url.searchParams.get('state')).toMatch(/^[\w.-]{60,}$/);
  });

  it('installs two workspaces, stores them sealed, and shows a page with a link back into Slack', async () => {
    const a = await installViaOAuth(t, { workspaceId: 'TINSTA', teamName: 'Acme', botToken: 'xoxb-acme-secret-token' });
    const b = await installViaOAuth(t, { workspaceId: 'TINSTB', teamName: 'Beta', botToken: 'xoxb-beta-secret-token' });
    expect(a.status).toBe(200);
    expect(a.html).toContain('installed in Acme');
    expect(a.html).toContain('slack://open?team=TINSTA');
    expect(b.html).toContain('https://app.slack.com/client/TINSTB');

    for (const [workspaceId, token] of [
      ['TINSTA', 'xoxb-acme-secret-token'],
      ['TINSTB', 'xoxb-beta-secret-token'],
    ] as const) {
      const snap = await t.deps.db.collection(COLLECTIONS.workspaces).doc(workspaceId).get();
      expect(snap.exists).toBe(true);
      expect(JSON.stringify(snap.data())).not.toContain(token);
      expect(snap.get('installed_at')).toBeDefined();
      await expect(t.deps.store.workspaces.get(workspaceId)).resolves.toMatchObject({
        uninstalledAt: null,
        isEnterpriseInstall: false,
      });
    }
    const audit = await t.deps.store.audit.listForWorkspace('TINSTA');
    expect(audit.map((e) => e.action)).toContain('workspace.install');
  });

  it('refuses a state that was already used, with a page that says so', async () => {
    const attempt = await beginInstall(t, { workspaceId: 'TINSTC', botToken: 'xoxb-c-1' });
    expect((await finishInstall(attempt)).status).toBe(200);
    const again = await finishInstall(attempt);
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');
    expect(again.html).toContain('/slack/install');
  });

  it('refuses a forged state, and a callback without the browser cookie', async () => {
    const attempt = await beginInstall(t, { workspaceId: 'TINSTD', botToken: 'xoxb-d' });
    const forged = attempt.callbackUrl.replace(/state=[^&]+/, 'state=abc.def.ghi');
    const res = await finishInstall({ ...attempt, callbackUrl: forged, cookie: 'slack-app-oauth-state=abc.def.ghi' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('not issued by this app');
    const noCookie = await finishInstall({ ...attempt, cookie: '' });
    expect(noCookie.status).toBe(400);
    expect(noCookie.html).toContain('This installation link no longer works');
    await expect(t.deps.store.workspaces.get('TINSTD')).resolves.toBeNull();
  });

  it('explains a cancelled install', async () => {
    const res = await fetch(`${t.baseUrl}/slack/oauth_redirect?error=access_denied&state=x`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Installation cancelled');
  });

  it('a reinstall updates the record with the new token', async () => {
    await installViaOAuth(t, { workspaceId: 'TINSTE', botToken: 'xoxb-e-old' });
    await installViaOAuth(t, { workspaceId: 'TINSTE', teamName: 'Echo renamed', botToken: 'xoxb-e-new' });
    const record = await t.deps.store.workspaces.get('TINSTE');
    expect(record?.teamName).toBe('Echo renamed');
    const sealed = record?.encryptedInstallation ?? '';
    expect(t.deps.tokens.open({ workspaceId: 'TINSTE', sealed }).bot?.token).toBe('xoxb-e-new');
  });
});
