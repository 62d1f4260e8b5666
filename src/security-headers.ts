import type { RequestHandler } from 'express';

/**
 * Headers every response carries. The pages run no script and take their only style from the served
 * stylesheet, so the policy allows nothing inline; `frame-ancestors 'none'` keeps them out of frames (the
 * OAuth result pages must not be clickjacked); `no-referrer` keeps OAuth codes and states in our URLs from
 * leaking to the pages they link to. HSTS only when BASE_URL is https (browsers ignore it over http anyway).
 */
export function contentSecurityPolicy(options: { formActionOrigins?: string[] } = {}): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "base-uri 'none'",
    ["form-action 'self'", ...(options.formActionOrigins ?? [])].join(' '),
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * For the one page whose form posts to another site (the GitHub App manifest form posts to GitHub): replaces this
 * response's policy with one that allows form posts to exactly that origin, everything else unchanged.
 */
export function allowFormPostTo(res: { setHeader(name: string, value: string): unknown }, origin: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy({ formActionOrigins: [origin] }));
}

export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}

/**
 * RFC 9112: a request whose Host is not a valid host[:port] gets 400. Bolt's OAuth callback builds a URL from
 * it and would fail with a 5xx; nothing else here needs it, so refuse it once at the door.
 */
export const requireValidHost: RequestHandler = (req, res, next) => {
  const host = req.headers.host;
  if (host === undefined || isValidHost(host)) return next();
  res.status(400).json({ error: 'invalid Host header' });
};

function isValidHost(host: string): boolean {
  if (!URL.canParse(`http://${host}`)) return false;
  const url = new URL(`http://${host}`);
  return url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
}
