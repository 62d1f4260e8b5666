import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * OAuth `state` values: `<issued-at base36>.<random>.<hmac>`, signed with SLACK_STATE_SECRET. The signature
 * lets forged values be refused before any database read; the issue time lets a refused state be explained
 * ("expired" vs "already used"). Single use is enforced by a store: the link flow stores every state; the
 * install stores its state only when it is used (install-state-store.ts).
 */
export interface SignedStates {
  issue(): string;
  /** When the state was issued, or null if it was not signed by us. */
  read(state: string): { issuedAt: Date } | null;
}

export const STATE_LIFETIME_MS = 15 * 60 * 1000;

export function createSignedStates(options: { secret: string; purpose: string; now: () => Date }): SignedStates {
  const sign = (payload: string) =>
    createHmac('sha256', options.secret).update(`${options.purpose}:${payload}`).digest('base64url');
  return {
    issue() {
      const payload = `${options.now().getTime().toString(36)}.${randomBytes(18).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    read(state) {
      const match = /^([0-9a-z]{1,12})\.([\w-]{24})\.([\w-]{43})$/.exec(state);
      if (!match) return null;
      const payload = `${match[1]}.${match[2]}`;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(match[3]!);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      return { issuedAt: new Date(parseInt(match[1]!, 36)) };
    },
  };
}

/** True once a state signed at `issuedAt` is older than its 15 minutes. */
export function isStateExpired(read: { issuedAt: Date }, now: Date): boolean {
  return now.getTime() - read.issuedAt.getTime() >= STATE_LIFETIME_MS;
}

/** Why a state was refused, in words a person understands. */
export function explainRefusedState(read: { issuedAt: Date } | null, now: Date): 'forged' | 'expired' | 'used' {
  if (read === null) return 'forged';
  return now.getTime() - read.issuedAt.getTime() >= STATE_LIFETIME_MS ? 'expired' : 'used';
}
