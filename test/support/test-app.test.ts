import { readFileSync } from 'node:fs';
import { Webhooks } from '@octokit/webhooks';
import { isValidSlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from './eventually.js';
import { githubDeliveryRequest } from '../../dev/local/github-deliveries.js';
import { encodeSlackBody, slackSignatureHeaders } from '../../dev/local/slack-signing.js';
import { slackEventEnvelope } from './slack-signing.js';
import { createTestApp, type TestApp } from './test-app.js';

let t: TestApp;
beforeAll(async () => void (t = await createTestApp()));
afterAll(async () => t?.close());

describe('createTestApp', () => {
  it('serves /healthz and /readyz (Firestore on the emulator answers)', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(t.config.baseUrl).toBe(t.baseUrl);
    expect(t.config.slack.apiUrl).toBe(t.slack.apiUrl);
  });

  it('installWorkspace stores the installation encrypted, and the token opens back', async () => {
    const { botToken } = await t.installWorkspace({
      workspaceId: 'TINST',
      teamName: 'inst',
      channels: [{ id: 'CINST', name: 'dev', isPrivate: false, botIsMember: true }],
    });
    const snapshot = await t.deps.db.collection(COLLECTIONS.workspaces).doc('TINST').get();
    expect(snapshot.exists).toBe(true);
    expect(JSON.stringify(snapshot.data())).not.toContain(botToken);
    const tokens = t.deps.tokens;
    expect(await tokens.botToken('TINST')).toBe(botToken);
    // The same token works against the fake Slack through the app's one WebClient.
    const posted = await t.deps.slack.chat.postMessage({ token: botToken, channel: 'CINST', text: 'hello' });
    expect(posted.ok).toBe(true);
    expect(t.slack.messages('TINST', 'CINST').map((m) => m.text)).toEqual(['hello']);
  });

  it('the WebClient surfaces a 429 at once instead of retrying', async () => {
    const { botToken } = await t.installWorkspace({ workspaceId: 'TRATE' });
    t.slack.failNext({ token: botToken, error: 'ratelimited', retryAfterSeconds: 30 });
    const started = Date.now();
    await expect(t.deps.slack.auth.test({ token: botToken })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 30,
    });
    // Not after sitting out the 30 s itself.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('end to end through the harness and the fake Slack', () => {
  it('slashCommand posts a signed command and collects the reply from its response_url', async () => {
    await t.installWorkspace({
      workspaceId: 'TCMD',
      channels: [{ id: 'CCMD', name: 'dev', isPrivate: false, botIsMember: true }],
    });
    const result = await t.slashCommand({ workspaceId: 'TCMD', userId: 'UCMD', channelId: 'CCMD', text: 'help' });
    expect(result.status).toBe(200);
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(result.replies[0]?.['text'])).toContain('/notify');
  });

  it('postSlackEvent delivers a signed Events API body that Bolt accepts (url_verification challenge)', async () => {
    const res = await t.postSlackEvent({ type: 'url_verification', token: 'x', challenge: 'chal-123' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('chal-123');
  });

  it('a badly signed command is refused and gets no reply', async () => {
    const body = 'team_id=TCMD&user_id=U1&command=%2Fnotify&text=help';
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...t.signSlack(`${body}&tampered=1`) },
    });
    expect(res.status).toBe(401);
  });

  it('the real InstallProvider completes an install against the fake authorize page and oauth.v2.access', async () => {
    const install = await fetch(`${t.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const cookie = (install.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    t.slack.createOAuthCode({ workspaceId: 'TOAUTH', teamName: 'oauthco', botToken: 'xoxb-oauth-flow' });
    const consent = await fetch(install.headers.get('location') ?? '', { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const done = await fetch(consent.headers.get('location') ?? '', { headers: { cookie }, redirect: 'manual' });
    // A finished install goes on to its result page (tested in test/slack/result-pages.test.ts).
    expect(done.status).toBe(303);
    expect(new URL(done.headers.get('location') ?? '', t.baseUrl).pathname).toBe('/slack/installed');
    const tokens = t.deps.tokens;
    expect(await tokens.botToken('TOAUTH')).toBe('xoxb-oauth-flow');
    expect(t.slack.callsTo('oauth.v2.access')).toHaveLength(1);
  });
});

describe('request signing helpers', () => {
  it('signs Slack bodies with v0 HMAC-SHA256 of v0:{ts}:{body}', () => {
    const headers = slackSignatureHeaders({ signingSecret: 'shh', rawBody: 'a=1', timestampSeconds: 1_700_000_000 });
    // Reference value computed independently: printf 'v0:1700000000:a=1' | openssl dgst -sha256 -hmac shh
    expect(headers).toEqual({
      'x-slack-request-timestamp': '1700000000',
      'x-slack-signature': 'v0=5beb57ac25880d819c2b6df320865a21f2d44efa7bf1fc6f4c5b539c0ecbce49',
    });
    expect(t.signSlack('a=1', 1)).not.toEqual(
      slackSignatureHeaders({ signingSecret: 'other', rawBody: 'a=1', timestampSeconds: 1 }),
    );
  });

  it('produces signatures Bolt accepts with the configured signing secret, and only for the signed body', () => {
    const body = 'command=%2Fnotify&text=help';
    const headers = t.signSlack(body);
    const check = (raw: string) =>
      isValidSlackRequest({
        signingSecret: t.config.slack.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': headers['x-slack-signature'] ?? '',
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      });
    expect(check(body)).toBe(true);
    expect(check(`${body}x`)).toBe(false);
  });

  it('builds Events API envelopes with every field the published wrapper schema requires', () => {
    const schemaPath = new URL('../../dev/slack-api-specs/slack_common_event_wrapper_schema.json', import.meta.url);
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
      required: string[];
      properties: { event: { required: string[] } };
    };
    const envelope = slackEventEnvelope({ workspaceId: 'TEV', event: { type: 'app_uninstalled' } });
    expect(Object.keys(envelope)).toEqual(expect.arrayContaining(schema.required));
    expect(Object.keys(envelope['event'] as object)).toEqual(expect.arrayContaining(schema.properties.event.required));
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: 'TEV',
      authorizations: [{ team_id: 'TEV', is_bot: true }],
    });
  });

  it('encodes interactivity as a form payload and events as JSON', () => {
    expect(encodeSlackBody({ type: 'block_actions', actions: [] })).toEqual({
      rawBody: `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(encodeSlackBody({ type: 'event_callback' }).contentType).toBe('application/json');
  });

  it('signs GitHub deliveries so that @octokit/webhooks verifies them, and can drop headers', async () => {
    const request = await githubDeliveryRequest({
      event: 'ping',
      payload: { zen: 'hi' },
      secret: 's3cret',
      headers: { 'X-Hub-Signature-256': '' },
    });
    expect(request.headers['x-hub-signature-256']).toBeUndefined();
    const signed = await githubDeliveryRequest({
      event: 'ping',
      payload: { zen: 'hi' },
      secret: 's3cret',
      deliveryId: 'd-1',
    });
    expect(signed.headers).toMatchObject({
      'x-github-event': 'ping',
      'x-github-delivery': 'd-1',
      'content-type': 'application/json',
    });
    const webhooks = new Webhooks({ secret: 's3cret' });
    expect(await webhooks.verify(signed.body, signed.headers['x-hub-signature-256'] ?? '')).toBe(true);
    expect(
      await new Webhooks({ secret: 'wrong' }).verify(signed.body, signed.headers['x-hub-signature-256'] ?? ''),
    ).toBe(false);
  });
});

describe('eventually', () => {
  it('retries until the assertion passes, and rethrows the last failure on timeout', async () => {
    let n = 0;
    await eventually(() => {
      n += 1;
      expect(n).toBeGreaterThanOrEqual(3);
    });
    await expect(eventually(() => expect(1).toBe(2), 100)).rejects.toThrow(/expected 1 to be 2/);
  });
});
