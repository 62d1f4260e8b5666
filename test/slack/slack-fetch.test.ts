import { ErrorCode, WebClient, type WebAPIHTTPError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';

let slack: FakeSlack;
const token = 'xoxb-TFETCH';
beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addWorkspace({
    workspaceId: 'TFETCH',
    botToken: token,
    channels: [{ id: 'CFETCH', name: 'fetch', isPrivate: false, botIsMember: true }],
  });
});
afterAll(() => slack.close());

const post = (client: WebClient) => client.chat.postMessage({ token, channel: 'CFETCH', text: 'hello' });

describe("the app's Slack transport (undici's request API under the WebClient)", () => {
  it('posts, and keeps the answers of many calls at once apart', async () => {
    const client = createQuietClient(slack);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ token, channel: 'CFETCH', text: `n${i}` })),
    );
    expect(answers.map((a) => a.message?.text)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    expect(new Set(answers.map((a) => a.ts)).size).toBe(20);
  });

  it('gives up on a Slack that does not answer at the timeout, as a request error', async () => {
    slack.setLatency(2_000);
    try {
      const started = Date.now();
      await expect(post(createQuietClient(slack, { timeoutMs: 200 }))).rejects.toMatchObject({
        code: ErrorCode.RequestError,
      });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      slack.setLatency(0);
    }
  });

  it('reports an HTTP error from in front of Slack with its status, and a rate limit with its Retry-After', async () => {
    const client = createQuietClient(slack);
    slack.failNext({ method: 'chat.postMessage', error: 'service_unavailable', httpStatus: 503 });
    const failed = await post(client).catch((err: unknown) => err as WebAPIHTTPError);
    expect(failed).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    slack.failNext({ token, error: 'ratelimited', retryAfterSeconds: 7 });
    await expect(post(client)).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
  });
});
