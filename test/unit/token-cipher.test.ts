import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from '../../src/security/token-cipher.js';

describe('token cipher (AES-256-GCM)', () => {
  const cipher = createTokenCipher(randomBytes(32));

  it('round-trips and never stores the plain token', () => {
    const sealed = cipher.encrypt('xoxb-1234-secret');
    expect(sealed).not.toContain('xoxb');
    expect(cipher.decrypt(sealed)).toBe('xoxb-1234-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses tampered ciphertext and a different key', () => {
    const sealed = cipher.encrypt('xoxb-1234-secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => createTokenCipher(randomBytes(32)).decrypt(sealed)).toThrow();
  });
});
