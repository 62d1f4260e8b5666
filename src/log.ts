import { pino, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type { Logger };

/** Paths pino blanks out wherever they appear, so a token or secret never reaches a log line. */
const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'bot_token', '*.bot_token', 'access_token', '*.access_token',
  'userToken', '*.userToken', 'secret', '*.secret', 'clientSecret', '*.clientSecret', 'client_secret',
  '*.client_secret', 'signingSecret', '*.signingSecret', 'password', '*.password',
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'req.headers["x-hub-signature-256"]', 'req.headers["x-hub-signature"]', 'req.headers["x-slack-signature"]',
  'headers["x-hub-signature-256"]', 'headers["x-slack-signature"]', 'installation', '*.installation',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'pr-notifier' } },
    options.destination,
  );
}

/**
 * Slack's SDKs log free text (at debug level, whole request bodies such as oauth.v2.access with its
 * client_secret), which pino's path-based redaction cannot see; scrub token- and secret-shaped values from it.
 */
const SECRET_PATTERNS: RegExp[] = [
  /xox[a-z]-[A-Za-z0-9-]+/g, // Slack tokens
  /\bgh[opsur]_[A-Za-z0-9]+/g, // GitHub tokens
  /("?(?:client_secret|token|refresh_token|code|password|secret)"?\s*[=:]\s*"?)[^"&\s,}]+/gi,
  /(Bearer\s+)[^\s"]+/gi,
];

function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, pattern) => t.replace(pattern, (match, prefix?: unknown) =>
    typeof prefix === 'string' ? `${prefix}[redacted]` : '[redacted]'), text);
}

/** Bolt wants its own Logger shape; route it into pino so every line is structured, scrubbed and redacted. */
export function toBoltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) => scrubSecrets(msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
