import { FAKE_APP_ID } from '../../dev/fakes/fake-slack-oauth.js';

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
