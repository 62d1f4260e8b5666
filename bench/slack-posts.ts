import type { FakeSlack } from '../dev/fakes/fake-slack.js';
import { whenTrue } from './when-true.js';

/** The start of the message text render-message.ts gives each PR post: tells which PR a chat.postMessage was for. */
const POST_TEXT = /^Pull request #(\d+) in ([^:]+):/;

/**
 * Counts the chat.postMessage calls the fake Slack received per PR, scanning only calls it has not seen:
 * polling stays cheap even after thousands of calls.
 */
export interface PostCounter {
  posts(repo: string, prNumber: number): number;
  /** Empties the fake's call log (its memory would otherwise count as the app's) and starts counting afresh. */
  forget(): void;
}

export function createPostCounter(slack: FakeSlack): PostCounter {
  let seen = 0;
  const counts = new Map<string, number>();
  const scan = () => {
    for (; seen < slack.calls.length; seen++) {
      const call = slack.calls[seen];
      if (call?.method !== 'chat.postMessage') continue;
      const match = POST_TEXT.exec(String(call.args['text']));
      if (!match) continue;
      const key = `${match[2]}#${match[1]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  return {
    posts(repo, prNumber) {
      scan();
      return counts.get(`${repo}#${prNumber}`) ?? 0;
    },
    forget() {
      slack.calls.length = 0;
      seen = 0;
      counts.clear();
    },
  };
}

export type PostBatch = { repo: string; prs: readonly number[]; fanOut: number };

/** How many of the batches' expected posts (each PR to as many workspaces as its repo's fan-out) Slack has had. */
export function postedCount(counter: PostCounter, batches: readonly PostBatch[]): number {
  return batches.reduce((n, b) => n + b.prs.reduce((m, pr) => m + Math.min(counter.posts(b.repo, pr), b.fanOut), 0), 0);
}

/** When every expected post of the batches has reached Slack (null: not within timeoutMs). */
export function allPosted(
  counter: PostCounter,
  batches: readonly PostBatch[],
  timeoutMs: number,
): Promise<number | null> {
  const expected = batches.reduce((n, b) => n + b.prs.length * b.fanOut, 0);
  return whenTrue(() => postedCount(counter, batches) >= expected, timeoutMs, 50);
}
