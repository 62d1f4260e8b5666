import { createJsonReader, JsonShapeError } from '../shared/json-reader.js';
import { GitHubApiError, type GitHubHttp } from '../github-api/http.js';

/** What GitHub answers once, for the code of a manifest flow: the new App and its credentials. */
export interface CreatedApp {
  id: number;
  slug: string;
  htmlUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  pem: string;
}

export type ConversionResult =
  | { kind: 'created'; app: CreatedApp }
  /** GitHub refused the code: unknown, already converted, or older than its hour. */
  | { kind: 'refused' }
  | { kind: 'github_failed' };

/** `POST {GITHUB_API_URL}/app-manifests/{code}/conversions`: no credentials, the code is the proof. */
export async function convertManifestCode(options: {
  http: GitHubHttp;
  apiUrl: string;
  code: string;
}): Promise<ConversionResult> {
  const { http, apiUrl, code } = options;
  let res;
  try {
    res = await http.request({
      method: 'POST',
      url: `${apiUrl}/app-manifests/${encodeURIComponent(code)}/conversions`,
    });
  } catch (err) {
    if (err instanceof GitHubApiError) return { kind: 'github_failed' };
    throw err;
  }
  if (res.status === 404 || res.status === 422) return { kind: 'refused' };
  if (res.status !== 201 && res.status !== 200) return { kind: 'github_failed' };
  try {
    const r = createJsonReader(res.body);
    return {
      kind: 'created',
      app: {
        id: r.integer('id'),
        slug: r.string('slug'),
        htmlUrl: r.string('html_url'),
        clientId: r.string('client_id'),
        clientSecret: r.string('client_secret'),
        webhookSecret: r.string('webhook_secret'),
        pem: r.string('pem'),
      },
    };
  } catch (err) {
    if (err instanceof JsonShapeError) return { kind: 'github_failed' };
    throw err;
  }
}
