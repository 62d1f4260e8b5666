import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

/**
 * The fake's Socket Mode held to Slack's docs (apps.connections.open, docs.slack.dev/apis/events-api/using-socket-mode):
 * the app token only in the Authorization header, a single-use WebSocket URL, `hello` first, envelopes acknowledged
 * by envelope_id.
 */
let slack: FakeSlack;
let appToken: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  appToken = slack.socketMode.createAppToken();
});
afterAll(() => slack.close());

async function connectionsOpen(init: { authorization?: string; form?: Record<string, string> }) {
  const res = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(init.authorization ? { authorization: init.authorization } : {}),
    },
    body: new URLSearchParams(init.form ?? {}).toString(),
  });
  return (await res.json()) as { ok: boolean; url?: string; error?: string };
}

/** A client connected to a fresh URL, with every message it got (hello first). */
async function connect(): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; url: string }> {
  const { url } = await connectionsOpen({ authorization: `Bearer ${appToken}` });
  if (!url) throw new Error('no url');
  const ws = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await slack.socketMode.waitForConnection();
  return { ws, messages, url };
}

const nextMessage = async (messages: Array<Record<string, unknown>>, count: number) => {
  for (let i = 0; i < 100 && messages.length < count; i += 1) await new Promise((r) => setTimeout(r, 20));
  return messages[count - 1];
};

describe('fake Slack: Socket Mode', () => {
  it('apps.connections.open takes the app token from the Authorization header only, and only an app token', async () => {
    expect(await connectionsOpen({})).toEqual({ ok: false, error: 'not_authed' });
    expect(await connectionsOpen({ form: { token: appToken } })).toEqual({ ok: false, error: 'not_authed' });
    expect(await connectionsOpen({ authorization: 'Bearer xoxb-a-bot-token' })).toEqual({
      ok: false,
      error: 'not_allowed_token_type',
    });
    expect(await connectionsOpen({ authorization: 'Bearer xapp-1-A000-unknown' })).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
    const opened = await connectionsOpen({ authorization: `Bearer ${appToken}` });
    expect(opened.ok).toBe(true);
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=\w+&app_id=\w+$/);
  });

  it('greets a connection with hello, and a URL opens one connection only', async () => {
    const { ws, messages, url } = await connect();
    expect(await nextMessage(messages, 1)).toMatchObject({
      type: 'hello',
      num_connections: expect.any(Number) as unknown,
      connection_info: { app_id: expect.any(String) as unknown },
    });

    const again = new WebSocket(url);
    const refused = await new Promise<string>((resolve) => {
      again.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      again.once('open', () => resolve('open'));
      again.once('error', () => resolve('error'));
    });
    expect(refused).toBe('401');
    ws.close(1000);
  });

  it('sends a slash command as a slash_commands envelope and returns the app’s acknowledgement', async () => {
    const { ws, messages } = await connect();
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { envelope_id?: string };
      if (message.envelope_id) ws.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: 'ok' } }));
    });
    const sent = await slack.socketMode.sendSlashCommand({ workspaceId: 'TSOCK', userId: 'UALICE', text: 'help' });
    const envelope = await nextMessage(messages, 2);
    expect(envelope).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { team_id: 'TSOCK', user_id: 'UALICE', command: '/notify', text: 'help' },
    });
    expect(sent.ack).toEqual({ envelope_id: envelope?.['envelope_id'], payload: { text: 'ok' } });

    // The response_url in the payload is a real one of the fake: what the app posts there is recorded.
    const responseUrl = String((envelope?.['payload'] as Record<string, unknown>)['response_url']);
    await fetch(responseUrl, { method: 'POST', body: JSON.stringify({ text: 'later' }) });
    expect(sent.replies()).toEqual([{ text: 'later' }]);
    ws.close(1000);
  });

  it('interactivity goes out as an interactive envelope', async () => {
    const { ws, messages } = await connect();
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { envelope_id?: string };
      if (message.envelope_id) ws.send(JSON.stringify({ envelope_id: message.envelope_id }));
    });
    const ack = await slack.socketMode.sendInteractive({ type: 'block_actions', team: { id: 'TSOCK' } });
    expect(await nextMessage(messages, 2)).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: { type: 'block_actions' },
    });
    expect(ack).toEqual({ envelope_id: expect.any(String) as unknown });
    ws.close(1000);
  });

  it('an event goes out as events_api; an envelope nobody acknowledges fails after Slack’s 3 seconds', async () => {
    const { ws, messages } = await connect();
    const unacked = slack.socketMode.sendEvent({ type: 'event_callback', event: { type: 'app_uninstalled' } });
    await expect(unacked).rejects.toThrow(/not acknowledged within 3000 ms/);
    expect(await nextMessage(messages, 2)).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      payload: { type: 'event_callback', event: { type: 'app_uninstalled' } },
    });
    ws.close(1000);
  });

  it('records how each connection ended', async () => {
    const before = slack.socketMode.connections().length;
    const { ws } = await connect();
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
    });
    for (let i = 0; i < 50 && slack.socketMode.connections()[before]?.open; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(slack.socketMode.connections()[before]).toEqual({ open: false, closeCode: 1000 });
  });
});
