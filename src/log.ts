import { pino, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type { Logger };

/** Paths pino blanks out wherever they appear, so a token or secret never reaches a log line. */
export const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'bot_token', '*.bot_token', 'access_token', '*.access_token',
  'userToken', '*.userToken', 'secret', '*.secret', 'clientSecret', '*.clientSecret', 'client_secret',
  '*.client_secret', 'signingSecret', '*.signingSecret', 'password', '*.password', 'code', '*.code',
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

/** Bolt wants its own Logger shape; route it into pino so every line is structured and redacted. */
export function toBoltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
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
