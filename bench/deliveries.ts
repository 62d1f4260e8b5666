import { prPayload } from '../dev/local/pr-payloads.js';
import { githubDeliveryRequest } from '../dev/local/github-deliveries.js';
import type { TestApp } from '../test/support/test-app.js';

/** GitHub gives up on a delivery after 10 s; so does the bench, so a hung request never stalls the run. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface TimedDelivery {
  /** HTTP status, or 0 when the request failed or timed out. */
  status: number;
  ms: number;
}

/**
 * Sends one signed delivery and times it to the response, as GitHub would see it. Signing happens before the
 * clock starts, so only the app's own work is measured.
 */
export async function timeDelivery(t: TestApp, d: { event: string; payload: unknown }): Promise<TimedDelivery> {
  const request = await githubDeliveryRequest({ ...d, secret: t.config.github.webhookSecret });
  const started = performance.now();
  try {
    const res = await fetch(`${t.baseUrl}/github/webhooks`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/**
 * Sends `list` with `senders` requests in flight at most, each in order taken; once `budgetMs` has passed no new
 * request starts, and the unsent ones count as status 0, so a slow app fails the bench instead of stalling it.
 * `between`: what a sender does after each of its deliveries, before its next one.
 */
export async function sendDeliveries(
  t: TestApp,
  list: ReadonlyArray<{ event: string; payload: unknown }>,
  o: { senders: number; budgetMs: number; between?: () => Promise<void> },
): Promise<TimedDelivery[]> {
  const deadline = performance.now() + o.budgetMs;
  const results: TimedDelivery[] = list.map(() => ({ status: 0, ms: Number.NaN }));
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < list.length && performance.now() < deadline; i = next++) {
      const d = list[i];
      if (!d) continue;
      results[i] = await timeDelivery(t, d);
      await o.between?.();
    }
  };
  await Promise.all(Array.from({ length: o.senders }, sender));
  return results;
}

/** pull_request.opened from @octokit/webhooks-examples for a new PR `number` of `repo`. */
export function openedDelivery(repo: string, number: number): { event: string; payload: unknown } {
  return {
    event: 'pull_request',
    payload: prPayload({
      action: 'opened',
      repo,
      number,
      title: `Bench change ${number}`,
      updatedAt: new Date().toISOString(),
    }),
  };
}

/** Hands out PR numbers that never repeat within a run, so every delivery is a new message in every workspace. */
export type PrNumbers = () => number;

export function createPrNumbers(start = 1): PrNumbers {
  let next = start;
  return () => next++;
}
