import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import { toRecord } from '../../shared/json-reader.js';
import { readCookie } from '../../shared/request-fields.js';

/**
 * A flow's outcome kept in the browser for an hour, so the page that shows it can be reloaded. The OAuth code and
 * state in a callback URL work once: a reload of the callback itself would be refused. So the callback stores what
 * happened in a cookie sent only to the result page's path, and redirects there (303); the result page's URL
 * carries nothing, and the facts never reach a URL, the history or a log.
 */
export interface ResultCookie {
  /** Ends the callback's response: keeps `facts` in the browser and sends it to the result page. */
  redirect(res: ServerResponse, facts: Record<string, string>): void;
  /** The facts this browser was given, or null (none, expired, or not ours). */
  read(req: Request): Record<string, string> | null;
}

export const RESULT_MAX_AGE_SECONDS = 60 * 60;

export function createResultCookie(options: { name: string; path: string; secure: boolean }): ResultCookie {
  const { name, path, secure } = options;
  return {
    redirect(res, facts) {
      const value = Buffer.from(JSON.stringify(facts)).toString('base64url');
      const attributes = [`Path=${path}`, `Max-Age=${RESULT_MAX_AGE_SECONDS}`, 'HttpOnly', 'SameSite=Lax'];
      if (secure) attributes.push('Secure');
      appendSetCookie(res, [`${name}=${value}`, ...attributes].join('; '));
      // 303: the result page is fetched with GET whatever brought the browser here.
      res.writeHead(303, { Location: path }).end();
    },
    read(req) {
      const value = readCookie(req, name);
      if (value === undefined || !/^[\w-]{1,3000}$/.test(value)) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      const facts: Record<string, string> = {};
      for (const [key, fact] of Object.entries(toRecord(parsed))) if (typeof fact === 'string') facts[key] = fact;
      return facts;
    },
  };
}

/** Adds a cookie without dropping one set earlier on the same response (Bolt clears its state cookie first). */
function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  const earlier = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
  res.setHeader('Set-Cookie', [...earlier, cookie]);
}
