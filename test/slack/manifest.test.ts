import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSlackManifest, MANIFEST_PLACEHOLDER_URL } from '../../src/slack/manifest.js';
import { createSlackMessenger } from '../../src/slack/slack-messenger.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';
import { eventually } from '../support/eventually.js';
import { slackEventEnvelope } from '../support/slack-signing.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ask } from './slack-test-kit.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string }> };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[]; user: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { request_url: string };
  };
}

const checkedIn = JSON.parse(
  readFileSync(new URL('../../slack-app-manifest.json', import.meta.url), 'utf8'),
) as Manifest;

/**
 * The Slack app manifest against what the running app really does: the scopes its install asks for, the command it
 * answers, the events it handles and the routes Slack calls. A scope, command, event or route added to the code but
 * not to the manifest (or the other way round) fails here.
 */
describe('slack-app-manifest.json', () => {
  let t: TestApp;
  let manifest: Manifest;
  const path = (url: string) => url.replace(MANIFEST_PLACEHOLDER_URL, '');

  beforeAll(async () => {
    t = await createTestApp();
    manifest = buildSlackManifest({ baseUrl: t.baseUrl, command: t.config.slack.command }) as unknown as Manifest;
  });
  afterAll(() => t.close());

  it('is what `npm run manifest` prints for the placeholder URL (regenerate it when this fails)', () => {
    expect(checkedIn).toEqual(buildSlackManifest({ baseUrl: MANIFEST_PLACEHOLDER_URL, command: '/notify' }));
  });

  it('asks for exactly the bot scopes the install asks Slack for, and the user scope Sign in with Slack asks for', async () => {
    const install = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
    const authorize = new URL(install.headers.get('location') ?? '');
    expect((authorize.searchParams.get('scope') ?? '').split(',').sort()).toEqual(
      [...checkedIn.oauth_config.scopes.bot].sort(),
    );
    expect(authorize.searchParams.get('user_scope') ?? '').toBe('');

    await t.installWorkspace({ workspaceId: 'TMANIFEST' });
    const link = /<([^|>]+)\|/.exec(await ask(t, { workspaceId: 'TMANIFEST', userId: 'UM', text: 'link' }))?.[1] ?? '';
    const oidc = new URL((await fetch(link, { redirect: 'manual' })).headers.get('location') ?? '');
    expect((oidc.searchParams.get('scope') ?? '').split(' ').sort()).toEqual(
      [...checkedIn.oauth_config.scopes.user].sort(),
    );
  });

  it('asks for im:write and im:history: a DM to a person is opened (conversations.open) and searched after a crash', async () => {
    const { bot } = checkedIn.oauth_config.scopes;
    expect(bot).toEqual(expect.arrayContaining(['im:write', 'im:history']));
    const person = 'UMANIFESTDM';
    const search = async (scopes: string[]) => {
      const workspaceId = `TMDM${scopes.length}`;
      const { botToken: token } = await t.installWorkspace({ workspaceId, scopes });
      t.slack.addWorkspace({ workspaceId, botToken: token, users: [{ id: person, name: 'dana' }] });
      const tag = { eventType: 'pr_notifier_review_request', payload: { pr_number: 1 } };
      const { ts } = await createSlackMessenger(createQuietClient(t.slack)).postMessage({
        token,
        channel: person,
        text: 'review?',
        blocks: [],
        tag,
      });
      // A new process: it knows only the person, not the DM's id.
      const window = { oldest: new Date(Date.now() - 60_000), latest: new Date(Date.now() + 60_000) };
      const found = await createSlackMessenger(createQuietClient(t.slack)).findTaggedMessage({
        token,
        channel: person,
        tag,
        ...window,
      });
      return { ts, found };
    };
    const withManifest = await search(bot);
    expect(withManifest.found).toEqual({ found: { ts: withManifest.ts } });
    const without = await search(bot.filter((s) => !s.startsWith('im:')));
    expect(without.found).toEqual({ unavailable: 'cannot_open_dm' });
  });

  it('names the command the app answers, and every URL it lists is one the app serves', async () => {
    const [command] = checkedIn.features.slash_commands;
    const reply = await t.slashCommand({
      workspaceId: 'TMANIFEST',
      userId: 'UM',
      text: 'help',
      command: command?.command ?? '',
    });
    expect(reply.status).toBe(200);
    expect(String(reply.replies[0]?.['text'])).toContain(`${command?.command ?? ''} subscribe`);

    const urls = [
      command?.url ?? '',
      checkedIn.settings.event_subscriptions.request_url,
      checkedIn.settings.interactivity.request_url,
    ];
    for (const url of urls) {
      const res = await t.postSlackEvent({ type: 'url_verification', challenge: 'c-1', token: 'x' });
      expect(path(url)).toBe('/slack/events');
      expect(await res.json()).toEqual({ challenge: 'c-1' });
    }
    for (const url of checkedIn.oauth_config.redirect_urls) {
      const res = await fetch(`${t.baseUrl}${path(url)}`, { redirect: 'manual' });
      // Served (a page saying a code or state is missing), not the 404 of an unknown path.
      expect(res.status, url).toBe(400);
    }
  });

  it('subscribes to exactly the events the app handles', async () => {
    expect([...checkedIn.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
    await t.installWorkspace({ workspaceId: 'TEVENTHOME' });
    const home = { type: 'app_home_opened', user: 'UHOME', channel: 'DHOME', tab: 'home' };
    expect((await t.postSlackEvent(slackEventEnvelope({ workspaceId: 'TEVENTHOME', event: home }))).status).toBe(200);
    await eventually(() => expect(t.slack.homeView('TEVENTHOME', 'UHOME')?.['type']).toBe('home'));
    const lifecycle = checkedIn.settings.event_subscriptions.bot_events.filter((e) => e !== 'app_home_opened');
    for (const [i, type] of lifecycle.entries()) {
      const workspaceId = `TEVENT${i}`;
      await t.installWorkspace({ workspaceId });
      const event = type === 'tokens_revoked' ? { type, tokens: { bot: [`UBOT${workspaceId}`] } } : { type };
      expect((await t.postSlackEvent(slackEventEnvelope({ workspaceId, event }))).status).toBe(200);
      await eventually(async () =>
        expect((await t.deps.store.workspaces.get(workspaceId))?.uninstalledAt).toBeInstanceOf(Date),
      );
    }
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(checkedIn.settings.event_subscriptions.bot_events);
  });

  it('`npm run manifest -- --base-url … --command …` prints it filled in', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/manifest-cli.ts',
      '--base-url',
      'https://notifier.example.com/',
      '--command',
      '/prs',
    ]);
    const printed = JSON.parse(stdout) as Manifest;
    expect(printed.features.slash_commands[0]).toMatchObject({
      command: '/prs',
      url: 'https://notifier.example.com/slack/events',
    });
    expect(printed.oauth_config.redirect_urls).toEqual([
      'https://notifier.example.com/slack/oauth_redirect',
      'https://notifier.example.com/slack/oidc/callback',
    ]);
  }, 30_000);

  it('follows SLACK_COMMAND when no --command is given, as the server does', async () => {
    const runCli = (env: Record<string, string>) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/manifest-cli.ts', '--base-url', 'https://n.example'],
        {
          env: { PATH: process.env.PATH ?? '', ...env },
        },
      );
    const printed = JSON.parse((await runCli({ SLACK_COMMAND: '/prs' })).stdout) as Manifest;
    expect(printed.features.slash_commands[0]?.command).toBe('/prs');

    const refused = await runCli({ SLACK_COMMAND: 'prs' }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('SLACK_COMMAND') as unknown });
  }, 30_000);
});
