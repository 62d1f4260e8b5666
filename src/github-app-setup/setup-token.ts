import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time token that guards the GitHub App setup page: random per process start, printed once in the start-up
 * log, compared in constant time, and spent when a setup completes (a restart makes a new one).
 */
export interface SetupToken {
  readonly value: string;
  /** True while unspent and equal to `given`. */
  accepts(given: string | undefined): boolean;
  spend(): void;
}

export function createSetupToken(value: string = randomBytes(24).toString('base64url')): SetupToken {
  // Hashing both sides gives equal lengths, which timingSafeEqual needs, whatever was typed.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = digest(value);
  let spent = false;
  return {
    value,
    accepts: (given) => !spent && given !== undefined && timingSafeEqual(digest(given), expected),
    spend: () => {
      spent = true;
    },
  };
}
