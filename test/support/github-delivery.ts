import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

/** The request GitHub would send for one webhook delivery: raw body and headers, signed with `secret`. */
export async function githubDeliveryRequest(d: {
  event: string;
  payload: unknown;
  secret: string;
  deliveryId?: string;
  /** Extra or replacing headers; a header set to '' is left out (to test a missing signature). */
  headers?: Record<string, string>;
}): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify(d.payload);
  const signature = await new Webhooks({ secret: d.secret }).sign(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': d.event,
    'x-github-delivery': d.deliveryId ?? randomUUID(),
    'x-hub-signature-256': signature,
  };
  for (const [name, value] of Object.entries(d.headers ?? {})) {
    const key = name.toLowerCase();
    if (value === '') delete headers[key];
    else headers[key] = value;
  }
  return { body, headers };
}
