import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { eventually } from '../support/eventually.js';
import type { TestApp } from '../support/test-app.js';
import { installViaOAuth, startSlackSide } from './slack-test-kit.js';
import { FAKE_APP_ID } from '../../dev/fakes/fake-slack-oauth.js';

/** A slash command from a workspace of an Enterprise Grid org where the app is installed org-wide. */
function orgCommandBody(c: {
  workspaceId: string;
  enterpriseId: string;
  userId: string;
  text: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: 'x',
    team_id: c.workspaceId,
    team_domain: 'grid-ws',
    enterprise_id: c.enterpriseId,
    enterprise_name: 'Grid',
    channel_id: 'CGRIDGEN',
    channel_name: 'general',
    user_id: c.userId,
    user_name: 'u',
    command: '/notify',
    text: c.text,
    api_app_id: FAKE_APP_ID,
    is_enterprise_install: 'true',
    response_url: c.responseUrl,
    trigger_id: '1.trigger',
  }).toString();
}

describe('org-wide (Enterprise Grid) install', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    gh.addRepo({ fullName: 'octo/public', private: false });
  });
  afterAll(() => close());

  it('keeps the installation and the org data under the enterprise id', async () => {
    const page = await installViaOAuth(t, {
      workspaceId: 'TGRIDWS',
      enterpriseId: 'EORG1',
      isEnterpriseInstall: true,
      botToken: 'xoxb-org',
    });
    expect(page.status).toBe(200);
    await expect(t.deps.store.workspaces.get('EORG1')).resolves.toMatchObject({
      isEnterpriseInstall: true,
      enterpriseId: 'EORG1',
    });
    expect(JSON.stringify((await t.deps.db.collection('workspaces').doc('EORG1').get()).data())).not.toContain(
      'xoxb-org',
    );
    t.slack.addChannel('TGRIDWS', { id: 'CGRIDGEN', name: 'general', isPrivate: false, botIsMember: true });

    const target = t.slack.newResponseUrl();
    const raw = orgCommandBody({
      workspaceId: 'TGRIDWS',
      enterpriseId: 'EORG1',
      userId: 'UGRID',
      text: 'subscribe octo/public',
      responseUrl: target.url,
    });
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...t.signSlack(raw) },
      body: raw,
    });
    expect(res.status).toBe(200);
    await eventually(() => expect(target.responses()).toHaveLength(1));
    expect(String(target.responses()[0]?.['text'])).toContain('now posts in <#CGRIDGEN>');
    await expect(t.deps.store.subscriptions.get('EORG1', 'octo/public')).resolves.toMatchObject({
      channelId: 'CGRIDGEN',
      createdBy: 'UGRID',
    });
  });
});
