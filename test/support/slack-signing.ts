import { createHmac } from 'node:crypto';
import { FAKE_APP_ID } from '../../dev/fakes/fake-slack-oauth.js';

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

/**
 * An Events API `event_callback` envelope as Slack sends it (every field the published wrapper schema
 * requires, plus `authorizations`, which Bolt reads). Post it with TestApp.postSlackEvent.
 */
export function slackEventEnvelope(e: {
  workspaceId: string;
  event: Record<string, unknown> & { type: string };
  botUserId?: string;
  enterpriseId?: string;
}): Record<string, unknown> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const botUserId = e.botUserId ?? `UBOT${e.workspaceId}`;
  return {
    token: 'deprecated-verification-token',
    team_id: e.workspaceId,
    ...(e.enterpriseId ? { enterprise_id: e.enterpriseId } : {}),
    api_app_id: FAKE_APP_ID,
    event: { event_ts: `${nowSeconds}.000100`, ...e.event },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: nowSeconds,
    authed_users: [botUserId],
    authorizations: [
      {
        enterprise_id: e.enterpriseId ?? null,
        team_id: e.workspaceId,
        user_id: botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
