import { WebClient, type Logger as SlackLogger, type WebClientOptions } from '@slack/web-api';
import { toBoltLogger, type Logger } from './log.js';
import { createSlackFetch } from './slack/slack-fetch.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Slack calls in flight at once, across every workspace: as many as the job runner's jobs in flight (each has at most
 * one Slack call out at a time), so a fan-out to a hundred workspaces is one round of posts, not five. Slack's own
 * limits are per workspace and per channel, which the queue paces; this only bounds sockets and memory.
 */
const SLACK_CALLS_IN_FLIGHT = 128;

/**
 * Options of every Slack WebClient the process makes: ours, and the ones Bolt makes for its installer and
 * listeners. rejectRateLimitedCalls + no built-in retries: a 429 in one workspace must not pause the shared
 * queue for everyone (the job queue schedules its own retries, honouring Retry-After). The transport is
 * slack-fetch.ts (undici's request API: a fraction of the global fetch's CPU per call).
 */
export function slackClientOptions(options: {
  apiUrl: string;
  logger: SlackLogger;
  timeoutMs?: number;
}): WebClientOptions {
  return {
    slackApiUrl: options.apiUrl,
    logger: options.logger,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRequestConcurrency: SLACK_CALLS_IN_FLIGHT,
    allowAbsoluteUrls: false,
    fetch: createSlackFetch(),
  };
}

/** The ONE Slack WebClient of the process. It holds no token: each call passes its workspace's token. */
export function createSlackClient(options: { apiUrl: string; log: Logger; timeoutMs?: number }): WebClient {
  const { apiUrl, log, timeoutMs } = options;
  return new WebClient(undefined, slackClientOptions({ apiUrl, logger: toBoltLogger(log), timeoutMs }));
}
