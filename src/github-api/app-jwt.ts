import { createSign } from 'node:crypto';

/**
 * A GitHub App JSON Web Token (RS256), signed with node:crypto so no JWT library is needed.
 * Issued 60 s in the past to absorb clock drift, valid 9 minutes (GitHub allows at most 10).
 */
export function createAppJwt(options: { appId: string; privateKey: string; now: Date }): string {
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const payload = { iat: nowSeconds - 60, exp: nowSeconds + 9 * 60, iss: options.appId };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(options.privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
