import { ErrorCode, LogLevel, WebClient, type Logger, type WebAPIPlatformError } from '@slack/web-api';
import { expect } from 'vitest';
import type { FakeSlack } from '../../dev/fakes/fake-slack.js';
import { slackClientOptions } from '../../src/slack-client.js';

/** Shared by the fake's own tests: the real WebClient, configured as the app configures it, but quiet. */
const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function createQuietClient(slack: FakeSlack, options: { timeoutMs?: number } = {}): WebClient {
  return new WebClient(
    undefined,
    slackClientOptions({
      apiUrl: slack.apiUrl,
      logger: silent,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    }),
  );
}

/** A public and a private channel the bot is in, and one it is not in: what history and thread reads are checked on. */
export const readableChannels = () => [
  { id: 'CPUB', name: 'general', isPrivate: false, botIsMember: true },
  { id: 'GPRIV', name: 'secret', isPrivate: true, botIsMember: true },
  { id: 'COUT', name: 'random', isPrivate: false, botIsMember: false },
];

/** The Slack error code a call failed with; fails the test if the call succeeded or failed otherwise. */
export async function slackError(call: Promise<unknown>): Promise<string> {
  const err = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as WebAPIPlatformError | null;
  expect(err, 'the call should have failed').not.toBeNull();
  expect(err?.code).toBe(ErrorCode.PlatformError);
  return err?.data.error ?? '';
}
