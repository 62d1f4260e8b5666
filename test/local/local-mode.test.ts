import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toRecord } from '../../src/shared/json-reader.js';
import { checkPage, launchChromium, VIEWPORTS, type TestChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { killGroup, startEntry, startLocalMode, type StartedProcess } from './local-mode-process.js';

const started: StartedProcess[] = [];
let browser: TestChromium | null = null;
afterAll(async () => {
  await browser?.close();
  for (const p of started) killGroup(p);
});

const WORKSPACE = 'T0LOCAL01';
const CHANNEL = 'C0LOCALPRS';
const ALICE = 'U0LOCALALI';
const REPO = 'octo-org/hello-world';

interface ChannelMessage {
  lines: string[];
  reactions: string[];
  edited: boolean;
}

/** What #pull-requests shows, read from the page's state endpoint. */
function prChannel(state: Record<string, unknown>): ChannelMessage[] {
  const workspaces = Array.isArray(state['workspaces']) ? state['workspaces'] : [];
  const channels = workspaces.flatMap((w) => {
    const list = toRecord(w)['channels'];
    return Array.isArray(list) ? list : [];
  });
  const channel = toRecord(channels.find((c) => toRecord(c)['channelId'] === CHANNEL));
  const messages = Array.isArray(channel['messages']) ? channel['messages'] : [];
  return messages.map((m) => {
    const r = toRecord(m);
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
    return { lines: strings(r['lines']), reactions: strings(r['reactions']), edited: r['edited'] === true };
  });
}

describe('npm start without any Slack configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pr-notifier-local-'));

  it('runs local mode: banner, /notify subscribe and a PR opened, approved and merged, all kept across Ctrl-C', async () => {
    const first = await startLocalMode(dir);
    started.push(first);
    const banner = first.output();
    expect(banner).toContain('LOCAL MODE');
    expect(banner).toContain('Nothing is sent to the real Slack or GitHub');
    expect(banner).toContain(`Open the local page:  ${first.pageUrl}/`);
    expect(banner).toContain(`The app itself:       ${first.appUrl}`);
    expect(banner).not.toMatch(/xoxb-|secret":/);

    // Another web page cannot drive the local page's endpoints: not as a form, not from its origin, not by rebinding.
    const command = { workspaceId: WORKSPACE, channelId: CHANNEL, userId: ALICE, text: 'list' };
    const refused = await Promise.all([
      fetch(`${first.pageUrl}/local/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(command).toString(),
      }),
      fetch(`${first.pageUrl}/local/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
        body: JSON.stringify(command),
      }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([415, 403]);
    // fetch will not send another Host: node's http client does.
    const rebound = await new Promise<number | undefined>((resolve, reject) =>
      httpGet(`${first.pageUrl}/local/state`, { headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).once('error', reject),
    );
    expect(rebound).toBe(403);

    const subscribe = await first.post('/local/command', {
      workspaceId: WORKSPACE,
      channelId: CHANNEL,
      userId: ALICE,
      text: `subscribe ${REPO}`,
    });
    expect(subscribe.status).toBe(200);
    expect(String(subscribe.body['text'])).toContain('Subscribed');

    const opened = await first.post('/local/pull-requests', {
      action: 'open',
      repo: REPO,
      login: 'alice-codes',
      title: 'Add a <greeting> & *more*',
    });
    expect(opened.status).toBe(200);
    const number = toRecord(opened.body['pr'])['number'];
    await eventually(async () => expect(prChannel(await first.state())).toHaveLength(1));
    expect(
      (await first.post('/local/pull-requests', { action: 'approve', repo: REPO, number, login: 'bob-reviews' }))
        .status,
    ).toBe(200);
    expect((await first.post('/local/pull-requests', { action: 'merge', repo: REPO, number })).status).toBe(200);
    await eventually(async () => {
      const [message] = prChannel(await first.state());
      expect(message?.lines.join('\n')).toContain('State: merged');
      expect(message?.reactions).toEqual(expect.arrayContaining(['tada', 'white_check_mark']));
      expect(message?.edited).toBe(true);
    }, 15_000);
    const before = prChannel(await first.state());
    expect(before[0]?.lines[0]).toContain('Add a <greeting> & *more*');

    // Ctrl-C: the whole process group gets SIGINT, as from a terminal.
    expect(await first.interrupt(), first.output()).toBe(0);
    expect(readdirSync(join(dir, '.data', 'firestore')).filter((f) => f.startsWith('.staging'))).toEqual([]);
    const second = await startLocalMode(dir);
    started.push(second);
    expect(prChannel(await second.state())).toEqual(before);
    const next = await second.post('/local/pull-requests', {
      action: 'open',
      repo: REPO,
      login: 'bob-reviews',
      title: 'After the restart',
    });
    expect(toRecord(next.body['pr'])['number']).toBe(Number(number) + 1);
    await eventually(async () => {
      const messages = prChannel(await second.state());
      expect(messages).toHaveLength(2);
      expect(messages[1]?.lines[0]).toContain('After the restart');
    }, 15_000);

    // The page in a real browser: a PR's life clicked through at phone width; the desktop layout checked after.
    browser = await launchChromium();
    const page = await browser.openPage('phone');
    await page.goto(`${second.pageUrl}/`);
    await page.getByRole('heading', { name: 'What Slack shows' }).waitFor();
    await page.getByText('After the restart').first().waitFor();
    const title = 'Clicked through in a browser';
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Open pull request' }).click();
    const pr = page.locator('#pr-list li', { hasText: title });
    await pr.getByRole('button', { name: /^Request changes/ }).click();
    const channelMessage = page.locator('.message', { hasText: title });
    await channelMessage.getByText('🔄 1').waitFor();
    await pr.getByRole('button', { name: /^Approve/ }).click();
    await channelMessage.getByText('✅ 1').waitFor();
    await pr.getByRole('button', { name: /^Merge/ }).click();
    await channelMessage.getByText('🎉 1').waitFor();
    await channelMessage.getByText('(edited)').waitFor();
    expect(await channelMessage.getByRole('link', { name: new RegExp(title) }).getAttribute('href')).toMatch(
      /^https:\/\/github\.com\/octo-org\/hello-world\/pull\/\d+$/,
    );
    await page.getByRole('textbox', { name: 'Command' }).fill('list');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#command-reply').getByText('Subscriptions in this workspace').waitFor();
    await checkPage(page, 'local-page');
    await page.setViewportSize(VIEWPORTS.desktop);
    await checkPage(page, 'local-page');

    expect(await second.interrupt(), second.output()).toBe(0);
  }, 120_000);

  it('NODE_ENV=production, or one Slack variable in .env, means the strict server and its one configuration error', async () => {
    const production = startEntry(mkdtempSync(join(tmpdir(), 'pr-notifier-prod-')), { NODE_ENV: 'production' });
    const withDotEnv = mkdtempSync(join(tmpdir(), 'pr-notifier-dotenv-'));
    writeFileSync(join(withDotEnv, '.env'), 'SLACK_CLIENT_ID=123.456\n');
    const configured = startEntry(withDotEnv, {});
    started.push(production, configured);
    expect(await production.exited).toBe(1);
    expect(production.output().match(/Invalid configuration/g)).toHaveLength(1);
    expect(production.output()).toContain('SLACK_CLIENT_ID is missing');
    expect(production.output()).not.toContain('LOCAL MODE');
    expect(await configured.exited).toBe(1);
    expect(configured.output()).toContain('SLACK_SIGNING_SECRET is missing');
    expect(configured.output()).not.toContain('SLACK_CLIENT_ID is missing');
    expect(configured.output()).not.toContain('LOCAL MODE');
  }, 30_000);
});
