import type { AppDeps, Feature } from '../app-deps.js';
import { createBoltApp, REDIRECT_PATH } from './bolt-app.js';
import { createChannelAccess } from './commands/channel-access.js';
import { createNotifyService } from './commands/notify-service.js';
import { createDigestCommands } from '../digest/digest-wiring.js';
import { registerNotifyCommand } from './commands/register-notify-command.js';
import { createRepoAccessPolicy } from './commands/repo-access-policy.js';
import { createSubscribeService } from './commands/subscribe-service.js';
import { registerLifecycleEvents } from './events/register-lifecycle-events.js';
import { registerHome } from './home/register-home.js';
import { createInFlight } from './in-flight.js';
import { createLinkNotifier } from './link/link-notice.js';
import {
  GITHUB_CALLBACK_PATH,
  LINK_START_PATH,
  mountLinkRoutes,
  SLACK_OIDC_CALLBACK_PATH,
} from './link/link-routes.js';
import { createLinkService } from './link/link-service.js';
import { createLinkSteps } from './link/link-steps.js';
import { createSlackIdentity } from './link/slack-identity.js';
import { createBoltInstallationStore } from './oauth/bolt-installation-store.js';
import { createBoltInstallStateStore } from './oauth/bolt-install-state-store.js';
import { createSignedStates } from './oauth/signed-state.js';

/**
 * The Slack side: OAuth v2 install, `/notify`, the App Home tab, GitHub identity linking and the uninstall lifecycle.
 * Composition only; every piece is built from `deps` so tests can run it against fakes on loopback.
 */
export function createSlackFeature(deps: AppDeps): Feature {
  const { config, store, log, now, github, tokens } = deps;
  const slackLog = log.child({ component: 'slack' });
  const stateSecret = config.slack.stateSecret;
  const installationStore = createBoltInstallationStore({
    workspaces: store.workspaces,
    audit: store.audit,
    tokens,
    log: slackLog,
    now,
  });
  const stateStore = createBoltInstallStateStore({
    states: createSignedStates({ secret: stateSecret, purpose: 'slack_install', now }),
    oauthStates: store.oauthStates,
    installOptions: { scopes: [], redirectUri: `${config.baseUrl}${REDIRECT_PATH}` },
    now,
  });
  const slackApp = createBoltApp({ config, log: slackLog, rootLog: log, installationStore, stateStore });
  const { app: bolt, router, socketMode } = slackApp;

  const link = createLinkService({
    steps: createLinkSteps({
      states: createSignedStates({ secret: stateSecret, purpose: 'identity_link', now }),
      oauthStates: store.oauthStates,
      now,
    }),
    slackIdentity: createSlackIdentity({
      slack: deps.slack,
      authorizeUrl: config.slack.oidcAuthorizeUrl,
      clientId: config.slack.clientId,
      clientSecret: config.slack.clientSecret,
      redirectUri: `${config.baseUrl}${SLACK_OIDC_CALLBACK_PATH}`,
    }),
    github: github.oauth,
    users: store.users,
    subscriptions: store.subscriptions,
    workspaces: store.workspaces,
    notifier: createLinkNotifier({ slack: deps.slack, tokens, command: config.slack.command, log: slackLog }),
    startUrl: `${config.baseUrl}${LINK_START_PATH}`,
    githubRedirectUri: `${config.baseUrl}${GITHUB_CALLBACK_PATH}`,
    log: slackLog,
    now,
  });
  const channels = createChannelAccess({ slack: deps.slack });
  const policy = createRepoAccessPolicy({ repos: github.repos, users: store.users, command: config.slack.command });
  const subscriptions = createSubscribeService({
    policy,
    channels,
    subscriptions: store.subscriptions,
    command: config.slack.command,
    now,
  });
  const digest = createDigestCommands(deps, { channels });
  const service = createNotifyService({
    store,
    link,
    channels,
    subscriptions,
    digest,
    command: config.slack.command,
    now,
    log: slackLog,
  });
  const inFlight = createInFlight();

  registerNotifyCommand({ app: bolt, name: config.slack.command, service, inFlight, log: slackLog });
  registerLifecycleEvents({ app: bolt, workspaces: store.workspaces, inFlight, log: slackLog, now });
  registerHome({
    app: bolt,
    slack: deps.slack,
    service,
    users: store.users,
    command: config.slack.command,
    inFlight,
    log: slackLog,
  });

  return {
    mount(app) {
      app.use(router);
      mountLinkRoutes({
        app,
        link,
        command: config.slack.command,
        secureCookies: config.baseUrl.startsWith('https:'),
        log: slackLog,
      });
    },
    start: () => socketMode?.start(),
    // The socket closes while replies already being prepared finish (they go to response_urls, over HTTP).
    stop: async () => {
      await Promise.all([socketMode?.stop(), inFlight.drain()]);
    },
  };
}
