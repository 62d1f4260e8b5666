import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedValueError } from '../../src/security/sealed-format.js';
import { createTokenCipher, keyIdOf } from '../../src/security/token-cipher.js';

const A = 'workspaces/TA';
const B = 'workspaces/TB';

/** A value as the previous release wrote it: `v1.<iv>.<tag>.<ciphertext>`, no key id, no associated data. */
function sealV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
    '.',
  );
}

/** Replaces the part at `index` (split on dots) by the result of `change` on its bytes. */
function withPart(sealed: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  parts[index] = change(Buffer.from(parts[index] ?? '', 'base64url')).toString('base64url');
  return parts.join('.');
}

const reasonOf = (open: () => unknown): string => {
  try {
    open();
  } catch (err) {
    return err instanceof SealedValueError ? err.reason : `other: ${String(err)}`;
  }
  return 'opened';
};

describe('token cipher (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const cipher = createTokenCipher({ keys: [key] });

  it('seals as v2 under the key id, round-trips, and never stores the plain token', () => {
    const sealed = cipher.encrypt({ plain: 'xoxb-1234-secret', context: A });
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed.startsWith(`v2.${keyIdOf(key)}.`)).toBe(true);
    expect(keyIdOf(key)).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(sealed).not.toContain('xoxb');
    expect(cipher.decrypt({ sealed, context: A })).toBe('xoxb-1234-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt({ plain: 'same', context: A })).not.toBe(cipher.encrypt({ plain: 'same', context: A }));
  });

  it('a value sealed for one workspace does not open for another', () => {
    const sealed = cipher.encrypt({ plain: 'xoxb-a', context: A });
    expect(reasonOf(() => cipher.decrypt({ sealed, context: B }))).toBe('not_authentic');
  });

  it('refuses tampered ciphertext and a different key', () => {
    const sealed = cipher.encrypt({ plain: 'xoxb-1234-secret', context: A });
    const flipped = withPart(sealed, 4, (b) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x))));
    expect(reasonOf(() => cipher.decrypt({ sealed: flipped, context: A }))).toBe('not_authentic');
    expect(reasonOf(() => createTokenCipher({ keys: [randomBytes(32)] }).decrypt({ sealed, context: A }))).toBe(
      'unknown_key',
    );
  });

  it('refuses a truncated authentication tag before decrypting, in both versions', () => {
    const v2 = cipher.encrypt({ plain: 'xoxb-secret', context: A });
    expect(reasonOf(() => cipher.decrypt({ sealed: withPart(v2, 3, (t) => t.subarray(0, 4)), context: A }))).toBe(
      'malformed',
    );
    const v1 = sealV1(key, 'xoxb-secret');
    // A 4-byte tag has one chance in 2^32 of being forged: GCM accepts it unless told the tag length.
    expect(reasonOf(() => cipher.decrypt({ sealed: withPart(v1, 2, (t) => t.subarray(0, 4)), context: A }))).toBe(
      'malformed',
    );
    expect(reasonOf(() => cipher.decrypt({ sealed: withPart(v1, 2, (t) => t.subarray(0, 12)), context: A }))).toBe(
      'malformed',
    );
  });

  it('refuses values that are not in the sealed format, without echoing them', () => {
    for (const sealed of [
      '',
      'xoxb-plain-token',
      'v1.a.b',
      'v3.a.b.c.d',
      'v2.short.a.b.c',
      `v2.${keyIdOf(key)}.!!.b.c`,
    ]) {
      let message = '';
      try {
        cipher.decrypt({ sealed, context: A });
      } catch (err) {
        message = err instanceof Error ? err.message : '';
      }
      expect(message).toMatch(/^not a sealed value/);
      if (sealed.length > 0) expect(message).not.toContain(sealed);
    }
  });

  it('still opens legacy v1 values, with any configured key', () => {
    const older = randomBytes(32);
    const rotated = createTokenCipher({ keys: [randomBytes(32), older] });
    expect(rotated.decrypt({ sealed: sealV1(older, 'xoxb-legacy'), context: A })).toBe('xoxb-legacy');
    expect(reasonOf(() => cipher.decrypt({ sealed: sealV1(older, 'xoxb-legacy'), context: A }))).toBe('not_authentic');
  });

  it('rotates: the newest key seals, an older key still opens what it sealed', () => {
    const key1 = randomBytes(32);
    const key2 = randomBytes(32);
    const sealedBy1 = createTokenCipher({ keys: [key1] }).encrypt({ plain: 'xoxb-rotate', context: A });
    const both = createTokenCipher({ keys: [key2, key1] });
    expect(both.decrypt({ sealed: sealedBy1, context: A })).toBe('xoxb-rotate');
    expect(both.isCurrent(sealedBy1)).toBe(false);
    const sealedBy2 = both.encrypt({ plain: 'xoxb-rotate', context: A });
    expect(both.isCurrent(sealedBy2)).toBe(true);
    expect(createTokenCipher({ keys: [key2] }).decrypt({ sealed: sealedBy2, context: A })).toBe('xoxb-rotate');
    expect(reasonOf(() => createTokenCipher({ keys: [key2] }).decrypt({ sealed: sealedBy1, context: A }))).toBe(
      'unknown_key',
    );
  });

  it('refuses to be built without keys, with a wrong-size key, or with the same key twice', () => {
    expect(() => createTokenCipher({ keys: [] })).toThrow(/at least one/);
    expect(() => createTokenCipher({ keys: [randomBytes(16)] })).toThrow(/32 bytes/);
    expect(() => createTokenCipher({ keys: [key, Buffer.from(key)] })).toThrow(/distinct/);
  });
});
