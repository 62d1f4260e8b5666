import type { FakeSlack, HookedCall } from '../dev/fakes/fake-slack.js';

/** The start of the message text render-message.ts gives each PR post: tells which PR a chat.postMessage was for. */
const POST_TEXT = /^Pull request #(\d+) in ([^:]+):/;

/**
 * What the fake Slack saw of the app's posts: how many chat.postMessage were answered per PR (and when the last
 * one was), the most that were in flight at once, and the time each call spent at Slack (its latency).
 */
export interface SlackMeter {
  /** chat.postMessage answered for `repo#pr`. */
  posts(repo: string, pr: number): number;
  /** performance.now() of the last answered post for `repo#pr`. */
  lastPostAt(repo: string, pr: number): number | undefined;
  /** The most chat.postMessage in flight at once since the last reset. */
  maxInFlight(): number;
  resetMaxInFlight(): void;
  /** Calls answered and their time at Slack (arrival to answer), by method, since the meter started. */
  byMethod(): Record<string, { calls: number; ms: number }>;
}

/** Installs hooks on the fake (every call, for good) and sets its latency. */
export function meterSlack(slack: FakeSlack, o: { latencyMs: number }): SlackMeter {
  slack.setLatency(o.latencyMs);
  const posted = new Map<string, { count: number; at: number }>();
  const arrivedAt = new WeakMap<object, number>();
  const methods: Record<string, { calls: number; ms: number }> = {};
  let inFlight = 0;
  let max = 0;
  // Hooks see a fresh object per point; the args object is shared by both, so it keys the call.
  slack.hook({
    at: 'arrival',
    times: Number.POSITIVE_INFINITY,
    run: (call: HookedCall) => {
      arrivedAt.set(call.args, performance.now());
      if (call.method === 'chat.postMessage') max = Math.max(max, ++inFlight);
      return 'continue';
    },
  });
  slack.hook({
    at: 'answer',
    times: Number.POSITIVE_INFINITY,
    run: (call: HookedCall) => {
      const now = performance.now();
      const m = (methods[call.method] ??= { calls: 0, ms: 0 });
      m.calls += 1;
      m.ms += now - (arrivedAt.get(call.args) ?? now);
      if (call.method !== 'chat.postMessage') return 'continue';
      inFlight -= 1;
      const match = POST_TEXT.exec(String(call.args['text']));
      if (match) {
        const key = `${match[2]}#${match[1]}`;
        posted.set(key, { count: (posted.get(key)?.count ?? 0) + 1, at: now });
      }
      return 'continue';
    },
  });
  return {
    posts: (repo, pr) => posted.get(`${repo}#${pr}`)?.count ?? 0,
    lastPostAt: (repo, pr) => posted.get(`${repo}#${pr}`)?.at,
    maxInFlight: () => max,
    resetMaxInFlight: () => void (max = inFlight),
    byMethod: () => structuredClone(methods),
  };
}

/** Calls between two readings of `byMethod`. */
export function callsSince(
  before: Record<string, { calls: number; ms: number }>,
  after: Record<string, { calls: number; ms: number }>,
): Record<string, { calls: number; ms: number }> {
  const out: Record<string, { calls: number; ms: number }> = {};
  for (const [m, a] of Object.entries(after)) {
    const b = before[m] ?? { calls: 0, ms: 0 };
    if (a.calls > b.calls) out[m] = { calls: a.calls - b.calls, ms: a.ms - b.ms };
  }
  return out;
}
