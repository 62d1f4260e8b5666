import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { slackEventEnvelope } from '../support/slack-signing.js';
import type { TestApp } from '../support/test-app.js';
import { ask, installViaOAuth, startSlackSide } from './slack-test-kit.js';

describe('Slack lifecycle: app_uninstalled, tokens_revoked, reinstall', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  const botToken = (workspaceId: string) => t.deps.tokens.botToken(workspaceId);

  beforeAll(async () => {
    ({ t, close } = await startSlackSide());
  });
  afterAll(() => close());

  it('app_uninstalled deletes the tokens and audit-logs it; a reinstall resumes with the subscriptions kept', async () => {
    await installViaOAuth(t, { workspaceId: 'TLIFE', botToken: 'xoxb-life-1' });
    t.slack.addChannel('TLIFE', { id: 'CGENERAL', name: 'general', isPrivate: false, botIsMember: true });
    await t.deps.store.subscriptions.subscribe({
      workspaceId: 'TLIFE',
      repoFullName: 'octo/app',
      channelId: 'CGENERAL',
      actor: 'UX',
      at: new Date(),
    });
    await expect(botToken('TLIFE')).resolves.toBe('xoxb-life-1');

    const res = await t.postSlackEvent(
      slackEventEnvelope({ workspaceId: 'TLIFE', event: { type: 'app_uninstalled', event_ts: '1.0' } }),
    );
    expect(res.status).toBe(200);
    await eventually(async () => expect(await botToken('TLIFE')).toBeNull());
    const record = await t.deps.store.workspaces.get('TLIFE');
    expect(record?.encryptedInstallation).toBeNull();
    expect(record?.uninstalledAt).toBeInstanceOf(Date);
    const audit = await t.deps.store.audit.listForWorkspace('TLIFE');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'workspace.uninstall', actor: 'slack' }));

    // A command from the uninstalled workspace is told how to reinstall, not met with silence.
    expect(await ask(t, { workspaceId: 'TLIFE', userId: 'UX', text: 'list' })).toContain('not installed');

    await installViaOAuth(t, { workspaceId: 'TLIFE', botToken: 'xoxb-life-2' });
    await expect(botToken('TLIFE')).resolves.toBe('xoxb-life-2');
    expect(await ask(t, { workspaceId: 'TLIFE', userId: 'UX', text: 'list' })).toContain('`octo/app` → <#CGENERAL>');
  });

  it('tokens_revoked for the bot uninstalls; revoked user tokens alone change nothing', async () => {
    await t.installWorkspace({ workspaceId: 'TREVOKE' });
    const userOnly = await t.postSlackEvent(
      slackEventEnvelope({
        workspaceId: 'TREVOKE',
        event: { type: 'tokens_revoked', tokens: { oauth: ['UINSTALLER'] }, event_ts: '1.0' },
      }),
    );
    expect(userOnly.status).toBe(200);
    // Give a (wrong) uninstall time to happen before checking it did not.
    await new Promise((r) => setTimeout(r, 300));
    await expect(botToken('TREVOKE')).resolves.not.toBeNull();

    const bot = await t.postSlackEvent(
      slackEventEnvelope({
        workspaceId: 'TREVOKE',
        event: { type: 'tokens_revoked', tokens: { bot: ['UBOTTREVOKE'] }, event_ts: '1.0' },
      }),
    );
    expect(bot.status).toBe(200);
    await eventually(async () => expect(await botToken('TREVOKE')).toBeNull());
    const audit = await t.deps.store.audit.listForWorkspace('TREVOKE');
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'workspace.uninstall',
        details: expect.objectContaining({ reason: 'tokens_revoked' }),
      }),
    );
  });

  it('app_uninstalled and tokens_revoked for a workspace that never installed write nothing', async () => {
    const count = async (collection: string) => (await t.deps.db.collection(collection).count().get()).data().count;
    const before = { workspaces: await count(COLLECTIONS.workspaces), audit: await count(COLLECTIONS.auditLog) };
    for (const event of [
      { type: 'app_uninstalled', event_ts: '1.0' },
      { type: 'tokens_revoked', tokens: { bot: ['UBOTTNEVER'] }, event_ts: '1.0' },
    ]) {
      expect((await t.postSlackEvent(slackEventEnvelope({ workspaceId: 'TNEVER', event }))).status).toBe(200);
    }
    // A canary that does write: once its uninstall is recorded, the events sent before it have been handled too.
    await t.installWorkspace({ workspaceId: 'TCANARY' });
    expect(
      (
        await t.postSlackEvent(
          slackEventEnvelope({ workspaceId: 'TCANARY', event: { type: 'app_uninstalled', event_ts: '1.0' } }),
        )
      ).status,
    ).toBe(200);
    await eventually(async () => expect(await botToken('TCANARY')).toBeNull());
    await new Promise((r) => setTimeout(r, 300));

    expect(await t.deps.store.workspaces.get('TNEVER')).toBeNull();
    expect(await t.deps.store.audit.listForWorkspace('TNEVER')).toEqual([]);
    // Only the canary's install and uninstall were written.
    expect({ workspaces: await count(COLLECTIONS.workspaces), audit: await count(COLLECTIONS.auditLog) }).toEqual({
      workspaces: before.workspaces + 1,
      audit: before.audit + 1,
    });
  });

  it('a second app_uninstalled for the same workspace is harmless', async () => {
    await t.installWorkspace({ workspaceId: 'TTWICE' });
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await t.postSlackEvent(
            slackEventEnvelope({ workspaceId: 'TTWICE', event: { type: 'app_uninstalled', event_ts: '1.0' } }),
          )
        ).status,
      ).toBe(200);
    }
    await eventually(async () => expect(await botToken('TTWICE')).toBeNull());
    await eventually(async () => {
      const uninstalls = (await t.deps.store.audit.listForWorkspace('TTWICE')).filter(
        (e) => e.action === 'workspace.uninstall',
      );
      expect(uninstalls).toHaveLength(2);
    });
  });
});
