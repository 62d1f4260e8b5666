import { createGcpLoggingPinoConfig } from '@google-cloud/pino-logging-gcp-config';
import { pino, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type { Logger };

/** Paths pino blanks out wherever they appear, so a token or secret never reaches a log line. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'bot_token',
  '*.bot_token',
  'access_token',
  '*.access_token',
  'userToken',
  '*.userToken',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-slack-signature"]',
  'headers["x-hub-signature-256"]',
  'headers["x-slack-signature"]',
  'installation',
  '*.installation',
];

/**
 * Structured JSON logs in Google Cloud Logging's own shape (Google's pino config: `severity`, `message`, `serviceContext`
 * for Error Reporting, `stack_trace` for errors, an insertId for ordering), with an ISO `time`. Nothing here probes the
 * network: the service name and the trace project are given, not detected.
 */
export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
  traceProjectId?: string | null;
}): Logger {
  const config = createGcpLoggingPinoConfig(
    {
      serviceContext: { service: 'pr-notifier' },
      traceGoogleCloudProjectId: options.traceProjectId ?? '',
      inihibitDiagnosticMessage: true,
    },
    { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
  );
  return pino({ ...config, timestamp: pino.stdTimeFunctions.isoTime }, options.destination);
}

/** The Cloud Logging fields that tie a log line to a request's trace (W3C `traceparent`, or `X-Cloud-Trace-Context`). */
export function traceFields(
  headers: { traceparent?: string | undefined; cloudTrace?: string | undefined },
  projectId: string | null,
): Record<string, string | boolean> {
  const w3c = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(headers.traceparent ?? '');
  const cloud = /^([\da-f]{32})(?:\/(\d+))?(?:;o=([01]))?/.exec(headers.cloudTrace ?? '');
  const traceId = w3c?.[1] ?? cloud?.[1];
  if (traceId === undefined) return {};
  const fields: Record<string, string | boolean> = {
    'logging.googleapis.com/trace': projectId ? `projects/${projectId}/traces/${traceId}` : traceId,
  };
  const spanId = w3c?.[2] ?? (cloud?.[2] !== undefined ? BigInt(cloud[2]).toString(16).padStart(16, '0') : undefined);
  if (spanId !== undefined) fields['logging.googleapis.com/spanId'] = spanId;
  if (w3c ? (parseInt(w3c[3] ?? '0', 16) & 1) === 1 : cloud?.[3] === '1')
    fields['logging.googleapis.com/trace_sampled'] = true;
  return fields;
}

/**
 * Slack's SDKs log free text (at debug level, whole request bodies such as oauth.v2.access with its
 * client_secret), which pino's path-based redaction cannot see; scrub token- and secret-shaped values from it.
 */
const SECRET_PATTERNS: RegExp[] = [
  /xox[a-z]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g, // Slack app-level tokens (Socket Mode)
  /\bgh[opsur]_[A-Za-z0-9]+/g, // GitHub tokens
  /("?(?:client_secret|token|refresh_token|password|secret)"?\s*[=:]\s*"?)[^"&\s,}]+/gi,
  // OAuth codes travel as `code=…` in form bodies and URLs, or `"code":"…"` in JSON; an SDK's own error code
  // (`code: slack_bolt_…`, `"code":"slack_webapi_…"`) says what went wrong and stays readable.
  /(\bcode=|"code"\s*:\s*")(?!slack_)[^"&\s,}]+/gi,
  /(Bearer\s+)[^\s"]+/gi,
];

function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce(
    (t, pattern) =>
      t.replace(pattern, (match, prefix?: unknown) =>
        typeof prefix === 'string' ? `${prefix}[redacted]` : '[redacted]',
      ),
    text,
  );
}

/**
 * Bolt wants its own Logger shape; route it into pino so every line is structured, scrubbed and redacted. An Error
 * among the arguments is logged as `err` (message, code, stack), not stringified (JSON.stringify of an Error is `{}`).
 * Pass the root logger: this adds `component: bolt` itself, and a second `component` key would be a duplicate.
 */
export function toBoltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const line = (msg: unknown[]): [object, string] => {
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = scrubSecrets(
      msg
        .filter((m) => m !== err)
        .map((m) => (typeof m === 'string' ? m : JSON.stringify(m)))
        .join(' '),
    );
    if (err === undefined) return [{}, text];
    // A copy with the same name, code and stack, scrubbed like the text (an SDK message may quote a request).
    const { code } = err as Error & { code?: unknown };
    const safe = Object.assign(
      new Error(scrubSecrets(err.message)),
      { name: err.name, stack: scrubSecrets(err.stack ?? '') },
      typeof code === 'string' ? { code } : {},
    );
    return [{ err: safe }, text || safe.message];
  };
  // The Slack client logs every call's request at debug level: build (stringify, scrub) only the lines pino will write.
  const write = (lvl: 'debug' | 'info' | 'warn' | 'error', msg: unknown[]) => {
    if (child.isLevelEnabled(lvl)) child[lvl](...line(msg));
  };
  return {
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
