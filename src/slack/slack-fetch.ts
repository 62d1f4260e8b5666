import type { FetchFunction } from '@slack/web-api';
import { Agent, request, type Dispatcher } from 'undici';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The WebClient's transport (its `fetch` option): undici's request API instead of the global fetch. A fan-out posts
 * to a hundred workspaces at once, and fetch's WHATWG streams cost about as much CPU per call as everything else the
 * call does; request does the same HTTP/1.1 keep-alive exchange for a fraction of it. Slack's answers are small JSON
 * bodies: each is read whole before it is handed over. Redirects are not followed (as with `redirect: 'error'`, which
 * the WebClient asks for): a 3xx comes back as a non-200 answer, which the WebClient reports as an HTTP error.
 */
export function createSlackFetch(): FetchFunction {
  const dispatcher: Dispatcher = new Agent();
  return async (url, init = {}) => {
    // The app calls no method that uploads a file: its bodies are form-encoded strings.
    if (init.body !== undefined && typeof init.body !== 'string')
      throw new Error('Slack calls with a file are not sent');
    const answer = await request(url, {
      dispatcher,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    return toFetchResponse(String(url), answer.statusCode, answer.headers, body);
  };
}

function toFetchResponse(
  url: string,
  status: number,
  raw: Record<string, string | string[] | undefined>,
  body: Buffer,
): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    arrayBuffer: async () => Uint8Array.from(body).buffer,
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    text: async () => body.toString('utf8'),
  };
}
