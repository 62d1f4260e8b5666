import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { createQuietClient, slackError } from './fake-slack-test-kit.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
  slack.addWorkspace({
    workspaceId: 'TF',
    botToken: 'xoxb-f',
    channels: [{ id: 'CF', name: 'faults', isPrivate: false, botIsMember: true }],
  });
});
afterEach(async () => {
  await slack.close();
});

const post = (client = createQuietClient(slack)) =>
  client.chat.postMessage({ token: 'xoxb-f', channel: 'CF', text: 'hello' });

describe('fake Slack fault injection', () => {
  it('fails every matching call for a stretch of time, and only those', async () => {
    const limited = slack.failFor({
      method: 'chat.postMessage',
      error: 'ratelimited',
      retryAfterSeconds: 2,
      durationMs: 10_000,
    });
    expect(limited.until.getTime()).toBeGreaterThan(Date.now());
    const client = createQuietClient(slack);
    for (let i = 0; i < 3; i += 1) {
      const err: unknown = await post(client).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 2 });
    }
    expect(
      await slackError(client.reactions.add({ token: 'xoxb-f', channel: 'CF', timestamp: '1.1', name: 'eyes' })),
    ).toBe('message_not_found');
    limited.end();
    expect((await post(client)).ok).toBe(true);
    expect(slack.messages('TF', 'CF')).toHaveLength(1);
  });

  it('ends a stretch of failures by itself when its time is up', async () => {
    slack.failFor({ method: 'chat.postMessage', error: 'ratelimited', durationMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await post()).ok).toBe(true);
  });

  it('answers 5xx for a stretch when asked to model an outage', async () => {
    slack.failFor({ error: 'service_unavailable', httpStatus: 503, durationMs: 10_000 });
    const err: unknown = await post().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    expect(slack.messages('TF', 'CF')).toHaveLength(0);
  });

  it('tells calls apart by caller and lets a hook drop a call on arrival, before Slack handles it', async () => {
    const client = new WebClient(undefined, {
      slackApiUrl: slack.apiUrlFor('instance-1'),
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
    slack.hook({
      method: 'chat.postMessage',
      at: 'arrival',
      where: (c) => c.caller === 'instance-1',
      run: () => 'drop',
    });
    await expect(post(client)).rejects.toThrow();
    expect(slack.messages('TF', 'CF')).toHaveLength(0);
    expect(slack.callsTo('chat.postMessage')[0]?.caller).toBe('instance-1');
    // The hook was used up: the next call goes through.
    expect((await post(client)).ok).toBe(true);
  });

  it('runs an answer hook after Slack stored the message and before the answer goes out', async () => {
    const seen: number[] = [];
    slack.hook({
      method: 'chat.postMessage',
      at: 'answer',
      run: () => {
        seen.push(slack.messages('TF', 'CF').length);
        return 'drop';
      },
    });
    await expect(post()).rejects.toThrow();
    expect(seen).toEqual([1]);
    expect(slack.messages('TF', 'CF')).toHaveLength(1);
  });

  it('lets a hook hold a call until its caller disconnects', async () => {
    let gone = false;
    slack.hook({
      method: 'chat.postMessage',
      at: 'arrival',
      run: async (call) => {
        await call.callerGone;
        gone = true;
        return 'drop' as const;
      },
    });
    const client = createQuietClient(slack, { timeoutMs: 200 });
    await expect(post(client)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gone).toBe(true);
    expect(slack.messages('TF', 'CF')).toHaveLength(0);
  });
});
