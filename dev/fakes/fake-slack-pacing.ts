/**
 * Opt-in model of Slack's posting limit: chat.postMessage allows about one message per second per channel,
 * with short bursts tolerated. A token bucket per (team, channel); over the limit the call answers 429.
 */
export interface ChannelPostRate {
  perSecond: number;
  /** Messages that may go out back to back before the limit bites (default 1). */
  burst?: number;
}

export class ChannelPacing {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: ChannelPostRate | null,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Null when the post may go out, else the seconds Slack would put in Retry-After. */
  admit(workspaceId: string, channelId: string): number | null {
    if (!this.rate) return null;
    const capacity = this.rate.burst ?? 1;
    const key = `${workspaceId}/${channelId}`;
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate.perSecond));
  }

  clear(): void {
    this.buckets.clear();
  }
}
