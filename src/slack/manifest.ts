import { BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH } from './bolt-app.js';
import { LIFECYCLE_EVENTS } from './events/register-lifecycle-events.js';
import { HOME_EVENTS } from './home/register-home.js';
import { SLACK_OIDC_CALLBACK_PATH } from './link/link-routes.js';
import { OIDC_SCOPES } from './link/slack-identity.js';

/** The base URL written into the checked-in manifest; `npm run manifest -- --base-url …` fills in the real one. */
export const MANIFEST_PLACEHOLDER_URL = 'https://YOUR-SERVICE-URL';

/**
 * The Slack app manifest ("Create New App → From a manifest"), built from the constants the code itself uses: the
 * install's bot scopes, Sign in with Slack's scope, the slash command, the events it listens to and every route Slack
 * calls. So the manifest cannot drift from the code (test/slack/manifest.test.ts checks it against the running app).
 */
export function buildSlackManifest(input: {
  baseUrl: string;
  command: string;
  /** Socket Mode (local development, SLACK_APP_TOKEN): Slack's requests come over a WebSocket, so no request URLs. */
  socketMode?: boolean;
}): Record<string, unknown> {
  const base = input.baseUrl.replace(/\/+$/, '');
  const socketMode = input.socketMode === true;
  // Slack ignores request URLs in Socket Mode; the manifest leaves them out. The OAuth redirect URLs stay.
  const requestUrl = (key: string) => (socketMode ? {} : { [key]: `${base}${EVENTS_PATH}` });
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'PR Notifier',
      description: 'GitHub pull requests in your Slack channels, one message per PR kept up to date.',
      background_color: '#4a154b',
    },
    features: {
      bot_user: { display_name: 'PR Notifier', always_online: true },
      // The Home tab shows a person's settings; the Messages tab keeps the app's DMs (link and pause notices), read-only.
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      slash_commands: [
        {
          command: input.command,
          ...requestUrl('url'),
          description: 'Follow repositories, link GitHub, see your settings',
          usage_hint: 'help | link | subscribe owner/repo [#channel] | list | status',
          should_escape: true,
        },
      ],
    },
    oauth_config: {
      redirect_urls: [`${base}${REDIRECT_PATH}`, `${base}${SLACK_OIDC_CALLBACK_PATH}`],
      scopes: { bot: [...BOT_SCOPES], user: [...OIDC_SCOPES] },
    },
    settings: {
      event_subscriptions: { ...requestUrl('request_url'), bot_events: [...LIFECYCLE_EVENTS, ...HOME_EVENTS] },
      interactivity: { is_enabled: true, ...requestUrl('request_url') },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}
