import { WebClient } from '@slack/web-api';
import { toBoltLogger, type Logger } from './log.js';

/**
 * The ONE Slack WebClient of the process. It holds no token: each call passes its workspace's token.
 * rejectRateLimitedCalls + no built-in retries: a 429 in one workspace must not pause the shared queue for
 * everyone (the job queue schedules its own retries, honouring Retry-After).
 */
export function createSlackClient(options: { apiUrl: string; log: Logger; timeoutMs?: number }): WebClient {
  return new WebClient(undefined, {
    slackApiUrl: options.apiUrl,
    logger: toBoltLogger(options.log),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs ?? 10_000,
    maxRequestConcurrency: 20,
    allowAbsoluteUrls: false,
  });
}
