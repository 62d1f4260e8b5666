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

/**
 * A `block_actions` payload as Slack sends it when a person uses a button or picker in the app's Home tab (the view
 * is the one the app published). Post it with TestApp.postSlackEvent, which form-encodes it as `payload=`.
 */
export function homeActionPayload(a: {
  workspaceId: string;
  userId: string;
  action: Record<string, unknown> & { type: string; action_id: string };
}): Record<string, unknown> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const view = { id: `V${a.userId}`, team_id: a.workspaceId, type: 'home', app_installed_team_id: a.workspaceId };
  return {
    type: 'block_actions',
    team: { id: a.workspaceId, domain: a.workspaceId.toLowerCase() },
    user: { id: a.userId, username: a.userId.toLowerCase(), name: a.userId.toLowerCase(), team_id: a.workspaceId },
    api_app_id: FAKE_APP_ID,
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: `${nowSeconds}.1.${Math.random().toString(16).slice(2, 10)}`,
    view,
    actions: [{ block_id: 'b1', action_ts: `${nowSeconds}.000200`, ...a.action }],
  };
}
