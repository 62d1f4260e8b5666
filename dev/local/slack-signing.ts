import { createHmac } from 'node:crypto';
import { FAKE_APP_ID } from '../fakes/fake-slack-oauth.js';

/**
 * Slack request signing, v0: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the signing secret.
 * Written out here (not borrowed from Bolt) so the tests check our verification against the documented scheme.
 */
export function slackSignatureHeaders(options: {
  signingSecret: string;
  rawBody: string;
  timestampSeconds?: number;
}): Record<string, string> {
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const digest = createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:${options.rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}

// Interactivity arrives form-encoded as `payload=<json>`; Events API callbacks arrive as JSON.
const INTERACTIVE_TYPES = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
]);

/** The raw body and content type Slack would use for this payload. */
export function encodeSlackBody(body: Record<string, unknown>): { rawBody: string; contentType: string } {
  if (typeof body['type'] === 'string' && INTERACTIVE_TYPES.has(body['type'])) {
    return {
      rawBody: new URLSearchParams({ payload: JSON.stringify(body) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  return { rawBody: JSON.stringify(body), contentType: 'application/json' };
}

/** A slash command body exactly as Slack posts it (form-encoded, all fields strings). */
export function slashCommandBody(c: {
  workspaceId: string;
  userId: string;
  text: string;
  channelId: string;
  command: string;
  responseUrl: string;
  teamDomain?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: c.workspaceId,
    team_domain: c.teamDomain ?? c.workspaceId.toLowerCase(),
    channel_id: c.channelId,
    channel_name: 'channel',
    user_id: c.userId,
    user_name: c.userId.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: FAKE_APP_ID,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
}
