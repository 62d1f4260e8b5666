/**
 * The error vocabulary, in two families:
 * - HttpError: an error meant for an HTTP answer. Only its `status` (and that of express's own body-parser errors)
 *   ever becomes our response's status (src/server.ts).
 * - UpstreamError: a call we made failed (GitHub, Slack). It carries the upstream's answer as `upstreamStatus`
 *   (null when none came: a timeout or a dropped connection), never as `status`: what GitHub said to us is not
 *   what we say to our caller, so such an error that escapes a route is our 500.
 * The rest, each for one decision a caller makes:
 * - JsonShapeError (an HttpError, 400): untrusted JSON of the wrong shape (a webhook body, a job's payload).
 * - GitHubApiError, GitHubOAuthError, SlackCallError (classified for retry / disable / skip), SlackIdentityError:
 *   UpstreamErrors of one upstream.
 * - PostWait: posting must wait (a claim or a posting slot); the job waits, it has not failed.
 * - StoreDataError, SealedValueError, SealedInstallationError: stored data that cannot be read (our 500s).
 * - InstallStateError: a Slack install's OAuth state was refused (a page, not an exception to the client).
 * - ConfigError, FirestoreAccessError: start-up stops with their message.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export type Upstream = 'github' | 'slack';

export class UpstreamError extends Error {
  readonly upstream: Upstream;
  /** The upstream's HTTP status, or null when no answer came. */
  readonly upstreamStatus: number | null;
  constructor(options: { upstream: Upstream; message: string; upstreamStatus?: number | null; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.upstream = options.upstream;
    this.upstreamStatus = options.upstreamStatus ?? null;
  }
}

/** Our response's status for an error: an HttpError's, a body parser's (http-errors marks them `expose`), else 500. */
export function httpStatusOf(err: unknown): number {
  const status = err instanceof HttpError ? err.status : bodyParserStatus(err);
  return status !== null && status >= 400 && status < 600 ? status : 500;
}

function bodyParserStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const expose: unknown = Reflect.get(err, 'expose');
  const status: unknown = Reflect.get(err, 'status');
  return expose === true && typeof status === 'number' ? status : null;
}
