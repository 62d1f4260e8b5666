import { ErrorCode as WebApiErrorCode } from '@slack/web-api';
import { toRecord } from '../../shared/json-reader.js';
import { slackErrorCode } from '../slack-errors.js';
import { InstallStateError } from './bolt-install-state-store.js';

/**
 * Why an install did not finish, sorted by whose fault it is: the visitor's (a 4xx page), ours (5xx), or
 * Slack's (502, only when Slack itself failed).
 */
export type InstallFailure =
  | { kind: 'cancelled' }
  | { kind: 'state_refused'; reason: 'forged' | 'expired' | 'used' | 'other_browser' }
  | { kind: 'missing_code' }
  /** Slack refused the code in the URL: invented, already used or too old. */
  | { kind: 'code_refused'; slackError: string }
  /** Slack refused our own client id, secret or redirect URL: the deployment is misconfigured. */
  | { kind: 'misconfigured'; slackError: string }
  | { kind: 'slack_failed'; detail: string }
  | { kind: 'internal' };

const CODE_ERRORS = new Set(['invalid_code', 'code_already_used', 'code_expired']);
const CONFIG_ERRORS = new Set([
  'invalid_client_id',
  'bad_client_secret',
  'bad_redirect_uri',
  'oauth_authorization_url_mismatch',
  'invalid_grant_type',
]);
const TRANSPORT_ERRORS = new Set<unknown>([
  WebApiErrorCode.RequestError,
  WebApiErrorCode.HTTPError,
  WebApiErrorCode.RateLimitedError,
]);

/** Classifies an error Bolt's installer handed to the failure callback. */
export function toInstallFailure(error: unknown): InstallFailure {
  if (error instanceof InstallStateError) return { kind: 'state_refused', reason: error.reason };
  const { code } = toRecord(error);
  switch (code) {
    case 'slack_oauth_installer_authorization_error':
      return { kind: 'cancelled' };
    case 'slack_oauth_invalid_state':
      return { kind: 'state_refused', reason: 'other_browser' };
    case 'slack_oauth_missing_state':
      return { kind: 'state_refused', reason: 'forged' };
    case 'slack_oauth_missing_code':
      return { kind: 'missing_code' };
  }
  const slackError = slackErrorCode(error);
  if (slackError !== null && CODE_ERRORS.has(slackError)) return { kind: 'code_refused', slackError };
  if (slackError !== null && CONFIG_ERRORS.has(slackError)) return { kind: 'misconfigured', slackError };
  if (slackError !== null) return { kind: 'slack_failed', detail: slackError };
  if (TRANSPORT_ERRORS.has(code)) return { kind: 'slack_failed', detail: 'Slack could not be reached' };
  return { kind: 'internal' };
}
