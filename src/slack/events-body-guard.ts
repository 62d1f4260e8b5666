import { parse } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import express, { type Request, type RequestHandler } from 'express';
import { noteForAccessLog } from '../access-log.js';
import { toRecord } from '../shared/json-reader.js';

/**
 * Runs before Bolt on POST /slack/events. It reads the raw body once (Bolt takes a pre-read body from
 * `req.rawBody`) and answers 400 to a correctly signed body that is not a JSON object (`null`, `[]`, `42`,
 * `payload=null`): Bolt would crash on it (500) or leave it unanswered for 3 s (404). Anything else, unsigned
 * requests included, goes on to Bolt, which verifies the signature again and answers 401 where it fails.
 */
export function createSlackBodyGuard(options: { signingSecret: string; limit: string }): RequestHandler[] {
  const check: RequestHandler = (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    Object.assign(req, { rawBody: raw });
    const body = raw.toString('utf8');
    if (!isSignedBySlack(req, body, options.signingSecret)) return next();
    const parsed = parseLikeBolt(body, req.get('content-type'));
    if (!isObject(parsed)) {
      return void res.status(400).json({ error: 'the request body must be a JSON object' });
    }
    const teamId = teamOf(parsed) ?? teamOf(parse(body));
    if (teamId !== undefined) noteForAccessLog(res, { team_id: teamId });
    next();
  };
  return [express.raw({ type: () => true, limit: options.limit }), check];
}

function isSignedBySlack(req: Request, body: string, signingSecret: string): boolean {
  const signature = req.get('x-slack-signature');
  const timestamp = Number(req.get('x-slack-request-timestamp'));
  if (signature === undefined) return false;
  return isValidSlackRequest({
    signingSecret,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/** As Bolt's receiver parses: interactivity arrives as form field `payload` holding JSON. Unparseable: Bolt's 400. */
function parseLikeBolt(body: string, contentType: string | undefined): unknown {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parse(body);
      return typeof payload === 'string' ? JSON.parse(payload) : {};
    }
    return JSON.parse(body);
  } catch {
    return {};
  }
}

/** The workspace of a signed request: `team_id` (events, slash commands) or `team.id` (interactivity). */
function teamOf(body: unknown): string | undefined {
  const record = toRecord(body);
  const id = record['team_id'] ?? toRecord(record['team'])['id'];
  return typeof id === 'string' && /^[A-Z0-9]{1,32}$/.test(id) ? id : undefined;
}

function isObject(value: unknown): boolean {
  return toRecord(value) === value;
}
