import { toPostAttempt } from '../pipeline/core/post-once.js';
import { SlackCallError, type SlackMessenger } from '../pipeline/ports.js';
import type { DigestPart } from './render-digest.js';

/** A rate-limited post is tried again after Slack's Retry-After, this many times, before the failure is passed on. */
const RATE_LIMIT_TRIES = 5;

/**
 * Posts a digest's parts: the first in the channel, the others as replies in its thread. `from` and `threadTs`
 * resume a digest whose first parts are posted already. `onPosted` records each part before the next one goes.
 */
export async function postDigestParts(input: {
  slack: Pick<SlackMessenger, 'postMessage'>;
  token: string;
  channelId: string;
  parts: readonly DigestPart[];
  from?: number;
  threadTs?: string;
  onPosted?: (progress: { threadTs: string; partsDone: number }) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}): Promise<{ threadTs: string | null; partsDone: number }> {
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let threadTs = input.threadTs ?? null;
  let done = input.from ?? 0;
  for (const part of input.parts.slice(done)) {
    const posted = await withRateLimitRetries(
      () =>
        input.slack.postMessage({
          token: input.token,
          channel: input.channelId,
          text: part.text,
          blocks: part.blocks,
          ...(threadTs ? { threadTs } : {}),
        }),
      sleep,
    );
    threadTs ??= posted.ts;
    done++;
    await input.onPosted?.({ threadTs, partsDone: done });
  }
  return { threadTs, partsDone: done };
}

async function withRateLimitRetries<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof SlackCallError) || err.kind !== 'rate_limited' || attempt >= RATE_LIMIT_TRIES) throw err;
      await sleep(err.retryAfterMs ?? 1_000);
    }
  }
}

/**
 * Slack refused the post, so nothing is in the channel: as opposed to its own failures (which may have stored it) and
 * a call with no answer (which may still land). The rule a PR message's post claim goes by.
 */
export function surelyNotPosted(err: unknown): boolean {
  return toPostAttempt(err) === 'not_sent';
}
