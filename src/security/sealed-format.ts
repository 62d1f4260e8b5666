/**
 * The text form of a sealed secret, each binary part base64url:
 * - `v2.<keyId>.<iv>.<tag>.<ciphertext>`: AES-256-GCM under the key with that id, with associated data (the context
 *   the value belongs to, e.g. its workspace), so it opens only there.
 * - `v1.<iv>.<tag>.<ciphertext>`: legacy, no key id and no associated data; still read, never written.
 * Parsing checks every length before any decryption: GCM would otherwise accept a truncated tag.
 */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type SealedParts =
  | { version: 'v1'; iv: Buffer; tag: Buffer; body: Buffer }
  | { version: 'v2'; keyId: string; iv: Buffer; tag: Buffer; body: Buffer };

export type SealedFailure = 'malformed' | 'unknown_key' | 'not_authentic';

/** Why a sealed value did not open. The message never contains the value, a key or the plain text. */
export class SealedValueError extends Error {
  constructor(
    readonly reason: SealedFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SealedValueError';
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const KEY_ID = /^[A-Za-z0-9_-]{8}$/;

export function parseSealed(sealed: string): SealedParts {
  const parts = sealed.split('.');
  const [version] = parts;
  if (version === 'v2' && parts.length === 5) {
    const [, keyId = '', iv = '', tag = '', body = ''] = parts;
    if (!KEY_ID.test(keyId)) throw malformed('its key id is not 8 base64url characters');
    return { version, keyId, ...binaryParts({ iv, tag, body }) };
  }
  if (version === 'v1' && parts.length === 4) {
    const [, iv = '', tag = '', body = ''] = parts;
    return { version, ...binaryParts({ iv, tag, body }) };
  }
  throw malformed('expected v2.<keyId>.<iv>.<tag>.<ciphertext> or v1.<iv>.<tag>.<ciphertext>');
}

export function formatSealed(parts: { keyId: string; iv: Buffer; tag: Buffer; body: Buffer }): string {
  return [
    'v2',
    parts.keyId,
    parts.iv.toString('base64url'),
    parts.tag.toString('base64url'),
    parts.body.toString('base64url'),
  ].join('.');
}

function binaryParts(text: { iv: string; tag: string; body: string }): { iv: Buffer; tag: Buffer; body: Buffer } {
  if (![text.iv, text.tag, text.body].every((p) => BASE64URL.test(p))) throw malformed('a part is not base64url');
  const iv = Buffer.from(text.iv, 'base64url');
  const tag = Buffer.from(text.tag, 'base64url');
  if (iv.length !== IV_BYTES) throw malformed(`its IV is ${iv.length} bytes, not ${IV_BYTES}`);
  if (tag.length !== TAG_BYTES) throw malformed(`its authentication tag is ${tag.length} bytes, not ${TAG_BYTES}`);
  return { iv, tag, body: Buffer.from(text.body, 'base64url') };
}

const malformed = (why: string) => new SealedValueError('malformed', `not a sealed value: ${why}`);
