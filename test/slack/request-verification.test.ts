import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app.js';
import { slackSignatureHeaders, slashCommandBody } from '../../dev/local/slack-signing.js';
import { startSlackSide } from './slack-test-kit.js';

describe('POST /slack/events verifies every request', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ t, close } = await startSlackSide());
    await t.installWorkspace({ workspaceId: 'TSIG' });
  });
  afterAll(() => close());

  const post = (rawBody: string, headers: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body: rawBody,
    });

  const commandBody = (responseUrl: string) =>
    slashCommandBody({
      workspaceId: 'TSIG',
      userId: 'UX',
      text: 'list',
      channelId: 'CGENERAL',
      command: '/notify',
      responseUrl,
    });

  it('answers a correctly signed command', async () => {
    const target = t.slack.newResponseUrl();
    const raw = commandBody(target.url);
    expect((await post(raw, t.signSlack(raw))).status).toBe(200);
  });

  it('rejects a bad signature, a missing one, another secret and a changed body with 401, and runs nothing', async () => {
    const target = t.slack.newResponseUrl();
    const raw = commandBody(target.url);
    const good = t.signSlack(raw);
    const cases: Array<[string, Record<string, string>]> = [
      [raw, { ...good, 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
      [raw, {}],
      [raw, slackSignatureHeaders({ signingSecret: 'some-other-secret', rawBody: raw })],
      [raw.replace('text=list', 'text=unsubscribe+octo%2Fapp'), good],
    ];
    for (const [body, headers] of cases) expect((await post(body, headers)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(target.responses()).toEqual([]);
  });

  it('rejects a correctly signed request older than 5 minutes with 401', async () => {
    const raw = commandBody(t.slack.newResponseUrl().url);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await post(raw, t.signSlack(raw, sixMinutesAgo))).status).toBe(401);
  });

  it("answers Slack's url_verification challenge", async () => {
    const raw = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'c-123' });
    const res = await post(raw, t.signSlack(raw), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses a malformed body with a 4xx, never a crash', async () => {
    const raw = '{not json';
    const res = await post(raw, t.signSlack(raw), 'application/json');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
