import { ErrorCode } from '@slack/web-api';
import { toRecord } from '../shared/json-reader.js';

/** The Slack Web API error code (`channel_not_found`, …) of a failed call, or null for network and other errors. */
export function slackErrorCode(err: unknown): string | null {
  const { code, data } = toRecord(err);
  if (code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (code !== ErrorCode.PlatformError) return null;
  const { error } = toRecord(data);
  return typeof error === 'string' ? error : null;
}

/** Seconds Slack asked to wait (the Retry-After of a WebAPIRateLimitedError); 1 when it did not say. */
export function slackRetryAfterSeconds(err: unknown): number {
  const { retryAfter } = toRecord(err);
  return typeof retryAfter === 'number' ? retryAfter : 1;
}

/** The HTTP status of a WebAPIHTTPError (Slack answered, but not with 200), or null for any other failure. */
export function slackHttpStatus(err: unknown): string | null {
  const { code, statusCode } = toRecord(err);
  return code === ErrorCode.HTTPError ? String(statusCode) : null;
}
