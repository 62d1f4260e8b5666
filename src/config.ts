import { createPrivateKey } from 'node:crypto';

/**
 * loadConfig(env) -> Config. The only place that interprets environment variables; main.ts passes
 * process.env in. Every problem is collected so start-up fails with ONE error naming all of them.
 * Secret values are never echoed back, only the variable names and the expected shape.
 */
export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  logLevel: string;
  slack: {
    clientId: string;
    clientSecret: string;
    signingSecret: string;
    stateSecret: string;
    apiUrl: string;
    authorizeUrl: string;
    /** Sign in with Slack (OpenID Connect): proves which Slack user finishes `/notify link`. */
    oidcAuthorizeUrl: string;
    /** The slash command's name (SLACK_COMMAND, default `/notify`); usage texts and the manifest follow it. */
    command: string;
    /** SLACK_APP_TOKEN (`xapp-…`): Slack's requests come over Socket Mode instead of POST /slack/events. */
    appToken: string | null;
  };
  github: {
    webhookSecret: string;
    clientId: string;
    clientSecret: string;
    appId: string | null;
    appPrivateKey: string | null;
    url: string;
    apiUrl: string;
  };
  /** TOKEN_ENCRYPTION_KEY: newest first; the first seals, any of them opens (key rotation). */
  tokenEncryptionKeys: Buffer[];
  firestore: FirestoreTarget;
}

/** Where Firestore lives: an emulator we were pointed at, real Cloud Firestore, or one we start ourselves. */
export type FirestoreTarget =
  | { kind: 'emulator'; host: string; projectId: string }
  | { kind: 'cloud'; projectId: string; databaseId: string }
  | { kind: 'embedded'; projectId: string; dataDir: string; jar: string | null };

/** The Google Cloud project this runs in (for Cloud Logging's trace links), or null off Google Cloud. */
export function googleCloudProjectOf(config: Pick<Config, 'firestore'>): string | null {
  return config.firestore.kind === 'cloud' ? config.firestore.projectId : null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DEFAULT_EMBEDDED_PROJECT = 'pr-notifier-local';

/** The slash command's name: SLACK_COMMAND, default `/notify` (check it with slashCommandProblem). */
export function slackCommandOf(env: Env): string {
  return env.SLACK_COMMAND?.trim() || '/notify';
}

/** Slack's rule for command names: a slash, then up to 32 lowercase letters, digits, - or _. */
export function slashCommandProblem(command: string, source: string): string | null {
  return /^\/[a-z0-9_-]{1,32}$/.test(command)
    ? null
    : `${source} is malformed: expected a slash command name such as /notify (lowercase letters, digits, - or _)`;
}

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const required = (name: string, shape: string): string => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is missing: expected ${shape}`);
    return v ?? '';
  };
  const url = (name: string, fallback: string | undefined, shape = 'an http(s) URL'): string => {
    const v = value(name) ?? fallback;
    if (v === undefined) {
      problems.push(`${name} is missing: expected ${shape}`);
      return '';
    }
    if (!isHttpUrl(v)) problems.push(`${name} is malformed: expected ${shape}, e.g. https://example.com`);
    return v.replace(/\/+$/, '');
  };

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push('PORT is malformed: expected a whole number from 0 to 65535');
  }
  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL is malformed: expected one of ${LOG_LEVELS.join(', ')}`);
  }

  const baseUrl = url('BASE_URL', undefined, 'the public URL of this service, e.g. https://notifier.example.com');
  if (baseUrl && isHttpUrl(baseUrl) && value('NODE_ENV') === 'production' && !isHttpsOrLoopback(baseUrl)) {
    problems.push('BASE_URL is malformed: expected an https URL in production (plain http only on loopback)');
  }

  const slack = {
    clientId: required('SLACK_CLIENT_ID', 'the Slack app client id, e.g. 1234567890.1234567890'),
    clientSecret: required('SLACK_CLIENT_SECRET', 'the Slack app client secret'),
    signingSecret: required('SLACK_SIGNING_SECRET', 'the Slack app signing secret'),
    stateSecret: required('SLACK_STATE_SECRET', 'a random string of at least 16 characters'),
    apiUrl: url('SLACK_API_URL', 'https://slack.com/api/') + '/',
    authorizeUrl: url('SLACK_AUTHORIZE_URL', 'https://slack.com/oauth/v2/authorize'),
    oidcAuthorizeUrl: url('SLACK_OIDC_AUTHORIZE_URL', 'https://slack.com/openid/connect/authorize'),
    command: slackCommandOf(env),
    appToken: value('SLACK_APP_TOKEN') ?? null,
  };
  if (slack.appToken !== null && !/^xapp-\S+$/.test(slack.appToken)) {
    problems.push(
      'SLACK_APP_TOKEN is malformed: expected an app-level token starting with xapp- (Slack app settings → Basic Information → App-Level Tokens, scope connections:write)',
    );
  }
  const commandProblem = slashCommandProblem(slack.command, 'SLACK_COMMAND');
  if (commandProblem !== null) problems.push(commandProblem);
  if (slack.stateSecret && slack.stateSecret.length < 16) {
    problems.push('SLACK_STATE_SECRET is malformed: expected a random string of at least 16 characters');
  }

  const appId = value('GITHUB_APP_ID') ?? null;
  if (appId !== null && !/^\d+$/.test(appId)) problems.push('GITHUB_APP_ID is malformed: expected a number');
  const appPrivateKey = parsePrivateKey(value('GITHUB_APP_PRIVATE_KEY'), problems);
  if ((appId === null) !== (appPrivateKey === null)) {
    problems.push('GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY go together: set both or neither');
  }
  const github = {
    webhookSecret: required('GITHUB_WEBHOOK_SECRET', 'the secret configured on the GitHub webhook'),
    clientId: required('GITHUB_CLIENT_ID', 'the GitHub OAuth client id'),
    clientSecret: required('GITHUB_CLIENT_SECRET', 'the GitHub OAuth client secret'),
    appId,
    appPrivateKey,
    url: url('GITHUB_URL', 'https://github.com'),
    apiUrl: url('GITHUB_API_URL', 'https://api.github.com'),
  };

  const tokenEncryptionKeys = parseEncryptionKeys(value('TOKEN_ENCRYPTION_KEY'), problems);
  const firestore = firestoreTarget(value, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { port, host: value('HOST') ?? '0.0.0.0', baseUrl, logLevel, slack, github, tokenEncryptionKeys, firestore };
}

function firestoreTarget(value: (n: string) => string | undefined, problems: string[]): FirestoreTarget {
  const emulatorHost = value('FIRESTORE_EMULATOR_HOST');
  const projectId = value('GOOGLE_CLOUD_PROJECT');
  if (emulatorHost !== undefined) {
    if (!/^[\w.-]+:\d+$/.test(emulatorHost) && !/^\[[\da-f:]+\]:\d+$/i.test(emulatorHost)) {
      problems.push('FIRESTORE_EMULATOR_HOST is malformed: expected host:port, e.g. 127.0.0.1:8080');
    }
    return { kind: 'emulator', host: emulatorHost, projectId: projectId ?? DEFAULT_EMBEDDED_PROJECT };
  }
  if (projectId !== undefined) {
    return { kind: 'cloud', projectId, databaseId: value('FIRESTORE_DATABASE_ID') ?? '(default)' };
  }
  if (value('NODE_ENV') === 'production') {
    problems.push(
      'GOOGLE_CLOUD_PROJECT is missing: in production expected the Google Cloud project id of the Firestore database (or FIRESTORE_EMULATOR_HOST=host:port)',
    );
  }
  return {
    kind: 'embedded',
    projectId: DEFAULT_EMBEDDED_PROJECT,
    dataDir: value('FIRESTORE_DATA_DIR') ?? '.data/firestore',
    jar: value('FIRESTORE_EMULATOR_JAR') ?? null,
  };
}

/** One key, or a comma-separated list newest first (rotation); each 32 bytes, base64. Values are never echoed. */
function parseEncryptionKeys(raw: string | undefined, problems: string[]): Buffer[] {
  const shape =
    'one key, or a comma-separated list of keys newest first, each 32 random bytes base64-encoded (e.g. `openssl rand -base64 32`)';
  if (raw === undefined) {
    problems.push(`TOKEN_ENCRYPTION_KEY is missing: expected ${shape}`);
    return [];
  }
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .map((part) => (/^[A-Za-z0-9+/]+={0,2}$/.test(part) ? Buffer.from(part, 'base64') : Buffer.alloc(0)));
  const bad = keys.flatMap((key, i) => (key.length === 32 ? [] : [i + 1]));
  if (bad.length > 0) {
    const which = keys.length > 1 ? ` (key ${bad.join(', ')} of ${keys.length})` : '';
    problems.push(`TOKEN_ENCRYPTION_KEY is malformed${which}: expected ${shape}`);
  } else if (new Set(keys.map((key) => key.toString('base64'))).size !== keys.length) {
    problems.push('TOKEN_ENCRYPTION_KEY is malformed: the same key is listed twice; list each key once, newest first');
  }
  return keys;
}

function parsePrivateKey(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const pem = raw.includes('-----BEGIN') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  const text = pem.replace(/\\n/g, '\n');
  // Parsed here, so that a damaged key stops start-up rather than every GitHub App call later (GitHub signs RS256).
  if (!text.includes('PRIVATE KEY-----') || !isRsaPrivateKey(text)) {
    problems.push(
      'GITHUB_APP_PRIVATE_KEY is malformed: expected the PEM text of the App private key (RSA, as GitHub gives it), or base64 of it',
    );
    return null;
  }
  return text;
}

function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function isHttpsOrLoopback(v: string): boolean {
  const u = new URL(v);
  return u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}
