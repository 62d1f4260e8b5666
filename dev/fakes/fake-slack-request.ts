import type { IncomingMessage } from 'node:http';

/** One Web API request as Slack sees it: its arguments, where the token came from, and any Basic credentials. */
export interface ParsedApiRequest {
  args: Record<string, unknown>;
  token: string | null;
  basic: { user: string; password: string } | null;
  /** Set when the body could not be read as Slack accepts it (Slack's own error name). */
  bodyError: 'invalid_json' | 'json_not_object' | 'invalid_form_data' | null;
}

// Fields the WebClient JSON-stringifies inside a form body; decoded so tests can read them as arrays.
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];

export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limitBytes) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function parseApiRequest(req: IncomingMessage, url: URL): Promise<ParsedApiRequest> {
  const raw = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  let bodyError: ParsedApiRequest['bodyError'] = null;
  let tokenInBodyAllowed = true;
  if (contentType.startsWith('application/json') && raw.length > 0) {
    // Slack ignores a token inside a JSON body: JSON callers must use the Authorization header.
    tokenInBodyAllowed = false;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
      else bodyError = 'json_not_object';
    } catch {
      bodyError = 'invalid_json';
    }
  } else if (raw.length > 0) {
    for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeJsonField(key, value);
  }
  const authorization = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const bodyToken = tokenInBodyAllowed && typeof args['token'] === 'string' ? args['token'] : null;
  delete args['token'];
  return { args, token: bearer ?? bodyToken, basic: parseBasic(authorization), bodyError };
}

function decodeJsonField(key: string, value: string): unknown {
  if (!JSON_FIELDS.includes(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // left as text; the block validator reports it as Slack does
  }
}

function parseBasic(authorization: string): ParsedApiRequest['basic'] {
  const encoded = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decodeURIComponent(decoded.slice(0, colon)), password: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** Arguments arrive as strings from forms and as JSON values otherwise; read them uniformly. */
export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A boolean argument as Slack reads it: `true` or `1`. */
export function flagArg(args: Record<string, unknown>, name: string): boolean {
  return ['true', '1'].includes(stringArg(args, name) ?? '');
}

/** Slack's opaque paging cursor, as this fake makes it: the offset of the next page. */
export function toOffsetCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset a cursor from toOffsetCursor stands for (0 without one); NaN for a cursor this fake never gave out. */
export function fromOffsetCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  return Number(
    Buffer.from(cursor, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
}
