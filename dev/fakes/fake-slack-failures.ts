import type { ApiReply, DelayNextOptions, FailForOptions, FailNextOptions } from './fake-slack-types.js';

interface CallMatch {
  method?: string;
  token?: string;
}
interface Counted<T> {
  rule: T;
  remaining: number;
}

/** A stretch of failures: when it ends by itself, and a way to end it early. */
export interface FailureWindow {
  until: Date;
  end(): void;
}

/**
 * Scripted trouble: the next matching call(s) fail with an error, every matching call fails for a while, or calls
 * are answered only after a delay.
 */
export class FakeSlackFailures {
  private failures: Array<Counted<FailNextOptions>> = [];
  private windows: Array<{ rule: FailForOptions; until: number }> = [];
  private delays: Array<Counted<DelayNextOptions>> = [];

  constructor(private readonly clock: () => number = Date.now) {}

  add(options: FailNextOptions): void {
    this.failures.push({ rule: { ...options }, remaining: options.times ?? 1 });
  }

  /**
   * Every matching call fails from now until `durationMs` have passed, or until `end()` (windows are checked before
   * counted rules).
   */
  addWindow(options: FailForOptions): FailureWindow {
    const window = { rule: { ...options }, until: this.clock() + options.durationMs };
    this.windows.push(window);
    return {
      until: new Date(window.until),
      end: () => {
        this.windows = this.windows.filter((w) => w !== window);
      },
    };
  }

  addDelay(options: DelayNextOptions): void {
    this.delays.push({ rule: { ...options }, remaining: options.times ?? 1 });
  }

  /** Consumes one use of the first failure matching this call, and answers as Slack would for that error. */
  take(call: { method: string; token: string | null }): ApiReply | null {
    const now = this.clock();
    this.windows = this.windows.filter((w) => w.until > now);
    const rule = this.windows.find((w) => matches(w.rule, call))?.rule ?? consume(this.failures, call);
    if (!rule) return null;
    if (rule.error === 'ratelimited') {
      // Slack answers 429 with Retry-After (seconds); the WebClient turns it into WebAPIRateLimitedError.
      const retryAfter = String(rule.retryAfterSeconds ?? 1);
      return { status: 429, headers: { 'retry-after': retryAfter }, body: { ok: false, error: 'ratelimited' } };
    }
    return {
      ...(rule.httpStatus !== undefined ? { status: rule.httpStatus } : {}),
      body: { ok: false, error: rule.error },
    };
  }

  /** Milliseconds to hold this call before answering (0 when no delay rule matches). */
  takeDelay(call: { method: string; token: string | null }): number {
    return consume(this.delays, call)?.delayMs ?? 0;
  }

  clear(): void {
    this.failures = [];
    this.windows = [];
    this.delays = [];
  }
}

const matches = (rule: CallMatch, call: { method: string; token: string | null }) =>
  (rule.method === undefined || rule.method === call.method) && (rule.token === undefined || rule.token === call.token);

function consume<T extends CallMatch>(
  rules: Array<Counted<T>>,
  call: { method: string; token: string | null },
): T | null {
  const found = rules.find(({ rule }) => matches(rule, call));
  if (!found) return null;
  found.remaining -= 1;
  if (found.remaining <= 0) rules.splice(rules.indexOf(found), 1);
  return found.rule;
}
