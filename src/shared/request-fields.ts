import type { Request } from 'express';

/** A query parameter as one sane string (present, not repeated, at most 512 characters), else undefined. */
export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}

/** One cookie's value from the Cookie header (no cookie parser is mounted globally). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
