import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { VALID_ENV } from '../support/valid-env.js';

/** A workspace where `/notify` is taken installs the app as `/prs`: every text the app shows follows the name. */
describe('SLACK_COMMAND renames the slash command', () => {
  let t: TestApp;
  const ask = async (text: string, userId = 'UPRS') => {
    const res = await t.slashCommand({ workspaceId: 'TPRS', userId, text, command: '/prs' });
    expect(res.status).toBe(200);
    return String(res.replies[0]?.['text'] ?? '');
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { SLACK_COMMAND: '/prs' } });
    await t.installWorkspace({ workspaceId: 'TPRS' });
  });
  afterAll(() => t.close());

  it('answers /prs, and its help, usage errors and status name /prs, never /notify', async () => {
    const texts = [
      await ask('help'),
      await ask('subscribe'),
      await ask('status'),
      await ask('list'),
      await ask('bogus'),
    ];
    for (const text of texts) expect(text).not.toContain('/notify');
    expect(texts[0]).toContain('`/prs subscribe owner/repo [#channel]`');
    expect(texts[1]).toContain('Use `/prs subscribe owner/repo [#channel]`.');
    expect(texts[2]).toContain('not linked: run `/prs link`');
    expect(texts[3]).toContain('Try `/prs subscribe owner/repo`');
  });

  it('pages name it too: the landing page and the link pages', async () => {
    const landing = await (await fetch(`${t.baseUrl}/`)).text();
    expect(landing).toContain('/prs link');
    expect(landing).not.toContain('/notify');
    const refused = await (await fetch(`${t.baseUrl}/link?state=forged`)).text();
    expect(refused).toContain('Run /prs link in Slack');
  });

  it('refuses a name Slack would not accept, in the one configuration error', () => {
    expect(() => loadConfig({ ...VALID_ENV, SLACK_COMMAND: 'notify' })).toThrow(/SLACK_COMMAND is malformed/);
    expect(() => loadConfig({ ...VALID_ENV, SLACK_COMMAND: '/Has Spaces' })).toThrow(/SLACK_COMMAND is malformed/);
    expect(loadConfig(VALID_ENV).slack.command).toBe('/notify');
  });
});
