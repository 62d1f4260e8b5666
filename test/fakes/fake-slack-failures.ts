import type { ApiReply, FailNextOptions } from './fake-slack-types.js';

interface FailureRule extends FailNextOptions { remaining: number }

/** Scripted failures: the next matching call(s) answer with an error instead of being handled. */
export class FakeSlackFailures {
  private rules: FailureRule[] = [];

  add(options: FailNextOptions): void {
    this.rules.push({ ...options, remaining: options.times ?? 1 });
  }

  /** Consumes one use of the first rule matching this call, and answers as Slack would for that error. */
  take(call: { method: string; token: string | null }): ApiReply | null {
    const rule = this.rules.find(
      (r) => (r.method === undefined || r.method === call.method) && (r.token === undefined || r.token === call.token),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    if (rule.error === 'ratelimited') {
      // Slack answers 429 with Retry-After (seconds); the WebClient turns it into WebAPIRateLimitedError.
      const retryAfter = String(rule.retryAfterSeconds ?? 1);
      return { status: 429, headers: { 'retry-after': retryAfter }, body: { ok: false, error: 'ratelimited' } };
    }
    return { ...(rule.httpStatus !== undefined ? { status: rule.httpStatus } : {}), body: { ok: false, error: rule.error } };
  }

  clear(): void {
    this.rules = [];
  }
}
