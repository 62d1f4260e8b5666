import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { eventually } from '../support/eventually.js';
import { slashCommandBody } from '../../dev/local/slack-signing.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { topLevelKeys } from '../support/log-lines.js';

type Line = Record<string, unknown>;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

/**
 * The log lines an operator reads in Cloud Logging, from the running app over real HTTP: each has a severity and a
 * message, request lines carry Cloud Logging's httpRequest and the trace, and no line carries a key twice.
 */
describe('log lines in Cloud Logging shape', () => {
  let t: TestApp;
  const raw: string[] = [];
  const lines = (): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const find = (predicate: (l: Line) => boolean) => lines().find(predicate);

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l.trim().length > 0),
        );
        done();
      },
    });
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logDestination: destination });
    await t.installWorkspace({
      workspaceId: 'TLOGS',
      channels: [{ id: 'CLOGS', name: 'logs', isPrivate: false, botIsMember: true }],
    });
    await t.deps.store.subscriptions.subscribe({
      workspaceId: 'TLOGS',
      repoFullName: 'octo/logs',
      channelId: 'CLOGS',
      actor: 'U1',
      at: new Date(),
    });
  });
  afterAll(() => t.close());

  it('a GitHub delivery: a request line with httpRequest, the delivery id and the trace, and an accepted line', async () => {
    t.slack.failNext({ method: 'chat.postMessage', error: 'internal_error', httpStatus: 500 });
    const res = await t.sendDelivery({
      event: 'pull_request',
      deliveryId: 'delivery-log-1',
      headers: { traceparent: TRACEPARENT },
      payload: prPayload({
        action: 'opened',
        number: 1,
        repo: 'octo/logs',
        title: 'Logged',
        updatedAt: '2030-01-01T00:00:00Z',
      }),
    });
    expect(res.status).toBe(202);
    await eventually(() => expect(find((l) => l['message'] === 'POST /github/webhooks 202')).toBeDefined());
    expect(find((l) => l['message'] === 'POST /github/webhooks 202')).toMatchObject({
      severity: 'INFO',
      delivery_id: 'delivery-log-1',
      httpRequest: {
        requestMethod: 'POST',
        requestUrl: '/github/webhooks',
        status: 202,
        latency: expect.stringMatching(/^\d+\.\d{3}s$/),
      },
      'logging.googleapis.com/trace': `${TRACE_ID}`,
    });
    expect(find((l) => l['delivery_id'] === 'delivery-log-1' && l['message'] === 'delivery accepted')).toMatchObject({
      severity: 'INFO',
      'logging.googleapis.com/trace': TRACE_ID,
    });
    // The post failed once with a Slack 500: a job failure is a WARNING naming the workspace.
    await eventually(
      () =>
        expect(
          find((l) => l['severity'] === 'WARNING' && String(l['job_id'] ?? '').startsWith('reconcile#TLOGS')),
        ).toBeDefined(),
      10_000,
    );
  });

  it('the two common webhook set-up mistakes: answered and logged at WARNING, naming the fix', async () => {
    const wrongSecret = await t.sendDelivery({
      event: 'pull_request',
      deliveryId: 'delivery-wrong-secret',
      secret: 'not-the-configured-secret',
      payload: { action: 'opened' },
    });
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toContain('GITHUB_WEBHOOK_SECRET');
    const form = await fetch(`${t.baseUrl}/github/webhooks`, {
      method: 'POST',
      body: 'payload=%7B%7D',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'delivery-form',
      },
    });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: string }).error).toContain(
      "set the webhook's content type to application/json",
    );
    await eventually(() => {
      expect(
        find(
          (l) => l['delivery_id'] === 'delivery-wrong-secret' && String(l['message']).includes('GITHUB_WEBHOOK_SECRET'),
        ),
      ).toMatchObject({ severity: 'WARNING' });
      expect(
        find(
          (l) =>
            l['delivery_id'] === 'delivery-form' && String(l['message']).includes('application/x-www-form-urlencoded'),
        ),
      ).toMatchObject({ severity: 'WARNING' });
    });
  });

  it("a Slack request: the request line names the team; Bolt's refusals keep their error code", async () => {
    const target = t.slack.newResponseUrl();
    const rawBody = slashCommandBody({
      workspaceId: 'TLOGS',
      userId: 'U1',
      text: 'help',
      channelId: 'CLOGS',
      command: '/notify',
      responseUrl: target.url,
    });
    const ok = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      body: rawBody,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-cloud-trace-context': `${TRACE_ID}/1;o=1`,
        ...t.signSlack(rawBody),
      },
    });
    expect(ok.status).toBe(200);
    await eventually(() =>
      expect(find((l) => l['message'] === 'POST /slack/events 200')).toMatchObject({
        severity: 'INFO',
        team_id: 'TLOGS',
      }),
    );

    const forged = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      body: '{}',
      headers: {
        'content-type': 'application/json',
        'x-slack-signature': 'v0=forged',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      },
    });
    expect(forged.status).toBe(401);
    await eventually(() =>
      expect(find((l) => l['message'] === 'POST /slack/events 401')).toMatchObject({ severity: 'WARNING' }),
    );
    expect(
      find((l) => l['component'] === 'bolt' && String(l['message']).includes('verification failed')),
    ).toMatchObject({
      severity: 'WARNING',
      message: expect.stringContaining('code: slack_bolt_'),
    });
  });

  it("no line carries a key twice, none has pino's msg, and none contains a token", () => {
    expect(raw.length).toBeGreaterThan(5);
    for (const line of raw) {
      const keys = topLevelKeys(line);
      expect(keys, line).toEqual([...new Set(keys)]);
      expect(keys).toContain('severity');
      expect(keys).toContain('message');
      expect(keys).not.toContain('msg');
      expect(line).not.toMatch(/xoxb-TLOGS/);
    }
  });
});
