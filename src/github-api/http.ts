import { UpstreamError } from '../shared/errors.js';

/**
 * The one way this app talks HTTP to GitHub: global fetch, a timeout on every call, JSON in and out.
 * Errors carry GitHub's status as `upstreamStatus` (null for network errors and timeouts), never as our own.
 */
export class GitHubApiError extends UpstreamError {
  constructor(message: string, upstreamStatus: number | null) {
    super({ upstream: 'github', message, upstreamStatus });
    this.name = 'GitHubApiError';
  }
}

export interface GitHubHttp {
  request(input: GitHubRequest): Promise<GitHubResponse>;
}

export interface GitHubRequest {
  method?: 'GET' | 'POST';
  url: string;
  /** Sent as `Authorization: <value>` (e.g. `Bearer …`); never logged. */
  authorization?: string;
  /** A JSON body for POST. */
  body?: Record<string, unknown>;
}

export interface GitHubResponse {
  status: number;
  body: unknown;
}

export function createGitHubHttp(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): GitHubHttp {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async request(input) {
      const headers: Record<string, string> = {
        Accept: 'application/vnd.github+json, application/json',
        'User-Agent': 'pr-notifier',
        'X-GitHub-Api-Version': '2022-11-28',
      };
      if (input.authorization) headers['Authorization'] = input.authorization;
      if (input.body) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        res = await doFetch(input.url, {
          method: input.method ?? 'GET',
          headers,
          body: input.body ? JSON.stringify(input.body) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
        throw new GitHubApiError(`GitHub ${reason}`, null);
      }
      const text = await res.text();
      return { status: res.status, body: parseJson(text) };
    },
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
