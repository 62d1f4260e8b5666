import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { configOrExit } from '../../src/entry-point.js';
import { createLogger } from '../../src/log.js';
import { runServer, stopOnSignals } from '../../src/run-server.js';
import { createLocalGitHub } from './github-deliveries.js';
import { localModeBanner } from './local-banner.js';
import { startLocalGitHub, type LocalGitHubServer } from './local-github.js';
import { loadOrCreateLocalSecrets } from './local-secrets.js';
import { startLocalSlack, type LocalSlack } from './local-slack.js';
import { LOCAL_CHANNELS, LOCAL_PEOPLE, LOCAL_WORKSPACE } from './local-world.js';
import { createPageRoutes, type PageContext } from './page/page-routes.js';
import { createPrPlayer } from './pr-player.js';
import { createSlackActors } from './slack-actors.js';
import { fakeGitHubEnv, fakeSlackEnv } from '../fakes/product-env.js';

/**
 * Local mode (`npm start` with no Slack variable set, outside production): the real product on the embedded
 * Firestore emulator, talking to a local Slack and a local GitHub on loopback, with throw-away secrets, and a page
 * on the local Slack's server to look at the channels, type commands and play pull requests. Everything it keeps
 * (secrets, the local Slack's world, the local pull requests, Firestore's data) stays under `.data/`.
 */
const env = process.env;
const LOCAL_DIR = resolve('.data/local');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if ((env['GOOGLE_CLOUD_PROJECT'] ?? '').trim() !== '' && (env['FIRESTORE_EMULATOR_HOST'] ?? '').trim() === '') {
  fail(
    'Local mode keeps its made-up data in the local Firestore emulator, but GOOGLE_CLOUD_PROJECT points at Cloud ' +
      'Firestore. Unset GOOGLE_CLOUD_PROJECT for local mode, or set the Slack variables (see .env.example) to run ' +
      'the real server.',
  );
}
const appPort = Number(env['PORT'] ?? '3000');
const slackPortText = env['LOCAL_SLACK_PORT'] ?? String(appPort + 1);
if (!/^\d+$/.test(slackPortText) || Number(slackPortText) > 65535)
  fail('LOCAL_SLACK_PORT is malformed: expected a port number (the local Slack and the page listen there)');
const host = env['HOST'] ?? '127.0.0.1';
const appUrl = `http://127.0.0.1:${appPort}`;

const secrets = loadOrCreateLocalSecrets(LOCAL_DIR);
let pageContext: PageContext | null = null;
const stops: Array<() => Promise<void>> = [];
const stopAll = async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
};

let slack: LocalSlack;
let github: LocalGitHubServer;
try {
  slack = await startLocalSlack({
    dataDir: LOCAL_DIR,
    clientId: secrets.slackClientId,
    clientSecret: secrets.slackClientSecret,
    port: Number(slackPortText),
    otherRoutes: createPageRoutes(() => pageContext),
  });
  stops.push(() => slack.close());
  github = await startLocalGitHub({ appBaseUrl: appUrl });
  stops.push(() => github.close());
} catch (err) {
  await stopAll();
  fail(`Local mode could not start its local Slack or GitHub: ${err instanceof Error ? err.message : String(err)}`);
}

const config = configOrExit({
  PORT: String(appPort),
  HOST: host,
  BASE_URL: appUrl,
  LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn',
  SLACK_COMMAND: env['SLACK_COMMAND'],
  SLACK_CLIENT_ID: secrets.slackClientId,
  SLACK_CLIENT_SECRET: secrets.slackClientSecret,
  SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
  SLACK_STATE_SECRET: secrets.slackStateSecret,
  ...fakeSlackEnv(slack.fake),
  GITHUB_WEBHOOK_SECRET: secrets.githubWebhookSecret,
  ...fakeGitHubEnv({ ...github.fake, url: github.url }, { oauth: true, app: true }),
  TOKEN_ENCRYPTION_KEY: secrets.tokenEncryptionKey,
  FIRESTORE_EMULATOR_HOST: env['FIRESTORE_EMULATOR_HOST'],
  FIRESTORE_DATA_DIR: env['FIRESTORE_DATA_DIR'],
  FIRESTORE_EMULATOR_JAR: env['FIRESTORE_EMULATOR_JAR'],
});
const log = createLogger({ level: config.logLevel });
stopOnSignals({ log, stop: stopAll });

try {
  const server = await runServer({ config, log });
  stops.push(() => server.stop());
} catch (err) {
  await stopAll();
  fail(`pr-notifier failed to start: ${err instanceof Error ? err.message : String(err)}`);
}

const actors = createSlackActors({
  appUrl,
  slack: slack.fake,
  signingSecret: secrets.slackSigningSecret,
  command: config.slack.command,
});
const hooks = createLocalGitHub({ webhookUrl: `${appUrl}/github/webhooks`, secret: secrets.githubWebhookSecret });
pageContext = {
  slack,
  command: config.slack.command,
  appUrl,
  actors,
  player: createPrPlayer({ dataDir: LOCAL_DIR, send: (event, payload) => hooks.send(event, payload) }),
};

if (slack.fake.snapshot().workspaces.length === 0) {
  // First start: a workspace with people and channels, and the app added to it through the real install route.
  const botToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
  slack.fake.addWorkspace({
    ...LOCAL_WORKSPACE,
    botToken,
    users: LOCAL_PEOPLE.map((p) => ({ id: p.id, name: p.name })),
    channels: LOCAL_CHANNELS,
  });
  const installed = await actors.install({ ...LOCAL_WORKSPACE, botToken, installerUserId: LOCAL_PEOPLE[0]?.id });
  if (!installed.ok) {
    await stopAll();
    fail(
      `Local mode could not install the app into its local workspace (HTTP ${installed.status} at ${pathOf(installed.url)}).`,
    );
  }
  slack.save();
}

process.stdout.write(
  localModeBanner({
    pageUrl: `${slack.url}/`,
    appUrl,
    githubUrl: github.url,
    dataDir: LOCAL_DIR,
    firestore: config.firestore,
    logLevel: config.logLevel,
  }),
);

/** A URL without its query: an OAuth callback's carries a code and a state. */
function pathOf(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}
