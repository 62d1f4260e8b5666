import { randomBytes } from 'node:crypto';

/**
 * Every configuration value kept in Secret Manager, one secret per variable, named after it. The app can make two
 * itself; the others come from the Slack app and the GitHub side. The other variables of src/config.ts are plain
 * values (cloud-run.ts), and the test checks the two together against loadConfig.
 */
export interface SecretSpec {
  name: string;
  required: boolean;
  /** Made here when missing (what `openssl rand` would make). */
  generate?: () => string;
  /** Where an operator gets the value. */
  howToGet: (serviceUrl: string) => string;
}

const slackCredentials = () =>
  "the Slack app's Basic Information page → App Credentials (create the app at api.slack.com/apps → Create New App → From a manifest)";
const githubApp = (url: string) =>
  `create the GitHub App with this service's setup page ${url}/github/app-setup (its one-time token is in the service log, as shown above); ` +
  "or, for a plain repository webhook, a random secret of your choice and an OAuth app's client id and secret";

export const SECRET_SPECS: SecretSpec[] = [
  { name: 'SLACK_CLIENT_ID', required: true, howToGet: slackCredentials },
  { name: 'SLACK_CLIENT_SECRET', required: true, howToGet: slackCredentials },
  { name: 'SLACK_SIGNING_SECRET', required: true, howToGet: slackCredentials },
  {
    name: 'SLACK_STATE_SECRET',
    required: true,
    generate: () => randomBytes(32).toString('base64url'),
    howToGet: () => 'generated',
  },
  {
    name: 'TOKEN_ENCRYPTION_KEY',
    required: true,
    generate: () => randomBytes(32).toString('base64'),
    howToGet: () => 'generated',
  },
  { name: 'GITHUB_WEBHOOK_SECRET', required: true, howToGet: githubApp },
  { name: 'GITHUB_CLIENT_ID', required: true, howToGet: githubApp },
  { name: 'GITHUB_CLIENT_SECRET', required: true, howToGet: githubApp },
  { name: 'GITHUB_APP_ID', required: false, howToGet: githubApp },
  { name: 'GITHUB_APP_PRIVATE_KEY', required: false, howToGet: githubApp },
];

/** The App id and its key work only together (src/config.ts refuses one without the other). */
export const PAIRED_SECRETS = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY'] as const;
