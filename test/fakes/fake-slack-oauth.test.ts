import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuietClient, slackError } from './fake-slack-test-kit.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack ??= await startFakeSlack({ clientId: 'cid', clientSecret: 'csecret' });
  slack.reset();
});
afterAll(async () => slack?.close());

describe('fake Slack: OAuth', () => {
  it('exchanges a code once, with form or Basic client credentials, and the token then works', async () => {
    const client = createQuietClient(slack);
    const code = slack.createOAuthCode({
      workspaceId: 'TNEW',
      teamName: 'newco',
      botToken: 'xoxb-new',
      installerUserId: 'UBOSS',
    });
    expect(await slackError(client.auth.test({ token: 'xoxb-new' }))).toBe('invalid_auth');
    expect(await slackError(client.oauth.v2.access({ code, client_id: 'cid', client_secret: 'wrong' }))).toBe(
      'bad_client_secret',
    );
    expect(await slackError(client.oauth.v2.access({ code, client_id: 'other', client_secret: 'csecret' }))).toBe(
      'invalid_client_id',
    );
    const basic = `Basic ${Buffer.from('cid:csecret').toString('base64')}`;
    const res = await fetch(`${slack.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: `code=${code}`,
    });
    expect(await res.json()).toMatchObject({
      ok: true,
      access_token: 'xoxb-new',
      token_type: 'bot',
      team: { id: 'TNEW', name: 'newco' },
      authed_user: { id: 'UBOSS' },
      is_enterprise_install: false,
      enterprise: null,
    });
    expect(await slackError(client.oauth.v2.access({ code, client_id: 'cid', client_secret: 'csecret' }))).toBe(
      'invalid_code',
    );
    expect((await client.auth.test({ token: 'xoxb-new' })).team_id).toBe('TNEW');
  });

  it('describes an org-wide install with a null team and the enterprise', async () => {
    const client = createQuietClient(slack);
    const code = slack.createOAuthCode({
      workspaceId: 'TORG',
      botToken: 'xoxb-org',
      enterpriseId: 'EORG',
      isEnterpriseInstall: true,
    });
    const res = await client.oauth.v2.access({ code, client_id: 'cid', client_secret: 'csecret' });
    expect(res).toMatchObject({ team: null, enterprise: { id: 'EORG' }, is_enterprise_install: true });
  });

  it('the authorize page redirects to redirect_uri with a prepared code and the state', async () => {
    const page = (query: Record<string, string>) =>
      fetch(`${slack.authorizeUrl}?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
    const query = {
      client_id: 'cid',
      scope: 'commands',
      state: 'st-1',
      redirect_uri: 'http://127.0.0.1:9/slack/oauth_redirect',
    };
    expect((await page(query)).status).toBe(200); // nothing prepared: just the consent page
    expect((await page({ ...query, client_id: 'nope' })).status).toBe(400);
    const code = slack.createOAuthCode({ workspaceId: 'TREDIR', botToken: 'xoxb-redir' });
    const res = await page(query);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.pathname).toBe('/slack/oauth_redirect');
    expect(Object.fromEntries(location.searchParams)).toEqual({ code, state: 'st-1' });
  });
});

describe('fake Slack: transport details', () => {
  it('accepts JSON bodies with a Bearer token, but not a token inside the JSON', async () => {
    slack.addWorkspace({
      workspaceId: 'TJ',
      botToken: 'xoxb-j',
      channels: [{ id: 'CJ', name: 'j', isPrivate: false, botIsMember: true }],
    });
    const post = (headers: Record<string, string>, body: Record<string, unknown>) =>
      fetch(`${slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(await post({ authorization: 'Bearer xoxb-j' }, { channel: 'CJ', text: 'json' })).toMatchObject({
      ok: true,
      channel: 'CJ',
    });
    expect(await post({}, { token: 'xoxb-j', channel: 'CJ', text: 'json' })).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(slack.messages('TJ', 'CJ').map((m) => m.text)).toEqual(['json']);
    expect(slack.callsTo('chat.postMessage', 'xoxb-j')[0]?.args).toEqual({ channel: 'CJ', text: 'json' });
  });

  it('holds a delayed call until the client times out, without slowing other calls', async () => {
    slack.addWorkspace({ workspaceId: 'TS', botToken: 'xoxb-slow' });
    slack.addWorkspace({ workspaceId: 'TF', botToken: 'xoxb-fast' });
    slack.delayNext({ token: 'xoxb-slow', delayMs: 1000 });
    const client = createQuietClient(slack, { timeoutMs: 300 });
    const slow = client.auth.test({ token: 'xoxb-slow' }).then(
      () => 'answered',
      () => 'timed out',
    );
    const started = Date.now();
    expect((await client.auth.test({ token: 'xoxb-fast' })).team_id).toBe('TF');
    expect(Date.now() - started).toBeLessThan(300);
    expect(await slow).toBe('timed out');
    expect((await client.auth.test({ token: 'xoxb-slow' })).team_id).toBe('TS');
  });

  it('optionally paces chat.postMessage per channel like Slack (429 with Retry-After once the burst is used)', async () => {
    const paced = await startFakeSlack({ channelPostRate: { perSecond: 1, burst: 2 } });
    try {
      const channels = ['CP', 'CQ'].map((id) => ({ id, name: id.toLowerCase(), isPrivate: false, botIsMember: true }));
      paced.addWorkspace({ workspaceId: 'TP', botToken: 'xoxb-p', channels });
      const client = createQuietClient(paced);
      const post = (channel: string) =>
        client.chat.postMessage({ token: 'xoxb-p', channel, text: 'x' }).then(
          () => 'ok',
          (e: { code?: string; retryAfter?: number }) => `${e.code}:${e.retryAfter}`,
        );
      expect([await post('CP'), await post('CP'), await post('CP'), await post('CQ')]).toEqual([
        'ok',
        'ok',
        'slack_webapi_rate_limited_error:1',
        'ok',
      ]);
      expect(paced.messages('TP', 'CP')).toHaveLength(2);
    } finally {
      await paced.close();
    }
  });

  it('records what is POSTed to a response_url, in order, and refuses a sixth use', async () => {
    const target = slack.newResponseUrl();
    const statuses: number[] = [];
    for (const text of ['1', '2', '3', '4', '5', '6']) {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(target.responses().map((r) => r['text'])).toEqual(['1', '2', '3', '4', '5']);
  });
});
