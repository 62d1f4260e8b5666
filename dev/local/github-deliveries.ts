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
    'user-agent': 'GitHub-Hookshot/local',
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

export { prStory, toAccount } from './pr-story.js';
export type { PrStory, PrStoryOptions, StoryAccount, StoryDelivery } from './pr-story.js';

/** A local GitHub: sends signed deliveries to the product's real webhook route, as GitHub's hook service does. */
export interface LocalGitHub {
  readonly webhookUrl: string;
  /** Sends one delivery; a repeated `deliveryId` is a redelivery. Answers the route's HTTP status. */
  send(
    event: string,
    payload: unknown,
    options?: { deliveryId?: string },
  ): Promise<{ status: number; deliveryId: string }>;
}

export function createLocalGitHub(options: { webhookUrl: string; secret: string }): LocalGitHub {
  return {
    webhookUrl: options.webhookUrl,
    async send(event, payload, sendOptions = {}) {
      const deliveryId = sendOptions.deliveryId ?? randomUUID();
      const request = await githubDeliveryRequest({ event, payload, secret: options.secret, deliveryId });
      const res = await fetch(options.webhookUrl, { method: 'POST', headers: request.headers, body: request.body });
      await res.body?.cancel();
      return { status: res.status, deliveryId };
    },
  };
}
