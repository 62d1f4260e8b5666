import type { RequestHandler, Response } from 'express';
import { traceFields, type Logger } from './log.js';

/**
 * Health probes are polled all day: logged at debug while they answer 2xx, and a 503 from /readyz (Firestore not
 * answering, which its own lines report) at warn, so the log keeps what matters.
 */
const QUIET_PATHS = new Set(['/healthz', '/readyz']);

/** What a route learned about the request that the access log line should carry (e.g. the Slack team). */
export function noteForAccessLog(res: Response, fields: { team_id?: string }): void {
  Object.assign(res.locals, { accessLog: { ...accessLogNotes(res), ...fields } });
}

/** The trace fields of this request (set by the access log middleware), for route logs that should join the trace. */
export function requestTrace(res: Response): Record<string, string | boolean> {
  const trace: unknown = res.locals['trace'];
  return typeof trace === 'object' && trace !== null
    ? Object.fromEntries(Object.entries(trace).filter(isTraceValue))
    : {};
}

/**
 * One line per request when it finishes, in Cloud Logging's `httpRequest` shape (method, path, status, latency),
 * with the request's trace, the GitHub delivery id and the Slack team where known. 5xx at error, 4xx at warn.
 * The path is logged without its query string: OAuth codes and states travel there.
 */
export function accessLog(options: { log: Logger; traceProjectId: string | null }): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const trace = traceFields(
      { traceparent: req.get('traceparent'), cloudTrace: req.get('x-cloud-trace-context') },
      options.traceProjectId,
    );
    res.locals['trace'] = trace;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      const level = QUIET_PATHS.has(req.path)
        ? status < 400
          ? 'debug'
          : 'warn'
        : status >= 500
          ? 'error'
          : status >= 400
            ? 'warn'
            : 'info';
      const deliveryId = req.get('x-github-delivery');
      options.log[level](
        {
          httpRequest: {
            requestMethod: req.method,
            requestUrl: req.path,
            status,
            latency: `${seconds.toFixed(3)}s`,
            userAgent: req.get('user-agent'),
            remoteIp: req.ip,
          },
          ...(deliveryId !== undefined && /^[\w-]{1,100}$/.test(deliveryId) ? { delivery_id: deliveryId } : {}),
          ...accessLogNotes(res),
          ...trace,
        },
        `${req.method} ${req.path} ${status}`,
      );
    });
    next();
  };
}

function accessLogNotes(res: Response): Record<string, string> {
  const notes: unknown = res.locals['accessLog'];
  return typeof notes === 'object' && notes !== null
    ? Object.fromEntries(Object.entries(notes).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
}

function isTraceValue(entry: [string, unknown]): entry is [string, string | boolean] {
  return typeof entry[1] === 'string' || typeof entry[1] === 'boolean';
}
