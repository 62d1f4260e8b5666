import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { formatSealed, IV_BYTES, parseSealed, SealedValueError, TAG_BYTES } from './sealed-format.js';

/**
 * AES-256-GCM for secrets at rest (format in sealed-format.ts). Several keys may be configured, newest first:
 * the newest seals, any of them opens (v2 names its key; legacy v1 is tried under each), so keys can be rotated.
 * `context` is the associated data: a value sealed for one context does not open for another.
 */
export interface TokenCipher {
  /** Id of the newest key, the one that seals. */
  readonly currentKeyId: string;
  encrypt(input: { plain: string; context: string }): string;
  /** Throws SealedValueError (malformed, unknown key, or not authentic for this context). */
  decrypt(input: { sealed: string; context: string }): string;
  /** True when the value is already v2 under the newest key: re-sealing it would change nothing. */
  isCurrent(sealed: string): boolean;
}

const KEY_BYTES = 32;
const ALGORITHM = 'aes-256-gcm';

/** A short, non-secret fingerprint of a key, so sealed values can name their key without operators naming keys. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

export function createTokenCipher(options: { keys: readonly Buffer[] }): TokenCipher {
  const ring = options.keys.map((key) => ({ id: keyIdOf(key), key }));
  const [newest] = ring;
  if (!newest) throw new Error('at least one token encryption key is needed');
  if (ring.some((k) => k.key.length !== KEY_BYTES))
    throw new Error(`every token encryption key must be ${KEY_BYTES} bytes`);
  if (new Set(ring.map((k) => k.id)).size !== ring.length) throw new Error('token encryption keys must be distinct');

  const open = (input: { key: Buffer; iv: Buffer; tag: Buffer; body: Buffer; aad: Buffer | null }): string | null => {
    const decipher = createDecipheriv(ALGORITHM, input.key, input.iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(input.tag);
    if (input.aad) decipher.setAAD(input.aad);
    try {
      return Buffer.concat([decipher.update(input.body), decipher.final()]).toString('utf8');
    } catch {
      return null; // wrong key, wrong context or tampered: GCM does not say which
    }
  };

  return {
    currentKeyId: newest.id,
    encrypt({ plain, context }) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, newest.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return formatSealed({ keyId: newest.id, iv, tag: cipher.getAuthTag(), body });
    },
    decrypt({ sealed, context }) {
      const parts = parseSealed(sealed);
      if (parts.version === 'v2') {
        const found = ring.find((k) => k.id === parts.keyId);
        if (!found)
          throw new SealedValueError('unknown_key', `sealed under key ${parts.keyId}, which is not configured`);
        const plain = open({ key: found.key, ...parts, aad: Buffer.from(context, 'utf8') });
        if (plain === null) throw new SealedValueError('not_authentic', `sealed value does not open for ${context}`);
        return plain;
      }
      // Legacy v1 carries neither a key id nor associated data: any configured key may have sealed it.
      for (const { key } of ring) {
        const plain = open({ key, ...parts, aad: null });
        if (plain !== null) return plain;
      }
      throw new SealedValueError('not_authentic', 'legacy v1 sealed value does not open under any configured key');
    },
    isCurrent(sealed) {
      return sealed.startsWith(`v2.${newest.id}.`);
    },
  };
}
