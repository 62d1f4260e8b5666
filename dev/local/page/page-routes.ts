import type { IncomingMessage, ServerResponse } from 'node:http';
import { isOneOf, toRecord } from '../../../src/shared/json-reader.js';
import { readBody } from '../../fakes/fake-slack-request.js';
import { parseMrkdwn } from '../mrkdwn-view.js';
import type { SlackActors } from '../slack-actors.js';
import type { LocalSlack } from '../local-slack.js';
import { PR_ACTIONS, PlayError, type PrPlayer } from '../pr-player.js';
import { pageModel } from './page-model.js';
import { PAGE_HTML } from './page-html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/** What the page's endpoints act on; `actors` and `player` exist once the product runs. */
export interface PageContext {
  slack: LocalSlack;
  command: string;
  appUrl: string;
  actors: SlackActors;
  player: PrPlayer;
}

const HEARTBEAT_MS = 20_000;
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/;

/**
 * The local page and its endpoints, served by the local Slack's own server: the page stands for the Slack client,
 * and being on Slack's origin lets "run a command as alice" also sign the browser in to the local Slack as alice,
 * which is what Sign in with Slack asks for when she opens the link `/notify link` gives her.
 *
 * The POST endpoints take JSON only and refuse other origins, so another web page cannot drive them (a form post
 * cannot send JSON; a script on another origin would need CORS, which is never granted).
 */
export function createPageRoutes(getContext: () => PageContext | null) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === 'GET /') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (route === 'GET /local/page.js') return send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
    if (route === 'GET /local/page.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_STYLE);
    if (!url.pathname.startsWith('/local/')) return false;
    // A page on another site that re-points its own name at 127.0.0.1 (DNS rebinding) sends its own Host: refused.
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return json(res, 403, { error: 'open the page on 127.0.0.1' });
    const context = getContext();
    if (!context) return json(res, 503, { error: 'local mode is still starting' });
    if (route === 'GET /local/state') return json(res, 200, pageModel(context));
    if (route === 'GET /local/events') return events(req, res, context);
    if (req.method === 'POST') {
      const refusal = refuse(req);
      if (refusal) return json(res, refusal.status, { error: refusal.error });
      const body = toRecord(parseJson(await readBody(req, 64_000)));
      if (url.pathname === '/local/command') return command(res, context, body);
      if (url.pathname === '/local/pull-requests') return pullRequest(res, context, body);
    }
    return json(res, 404, { error: 'not found' });
  };
}

async function command(res: ServerResponse, c: PageContext, body: Record<string, unknown>): Promise<true> {
  const workspace = c.slack.fake.snapshot().workspaces.find((w) => w.workspaceId === body['workspaceId']);
  const channel = workspace?.channels.find((ch) => ch.id === body['channelId']);
  const user = workspace?.users.find((u) => u.id === body['userId']);
  const text = typeof body['text'] === 'string' ? body['text'].slice(0, 500) : '';
  if (!workspace || !channel || !user) return json(res, 400, { error: 'choose a workspace, channel and person' });
  const reply = await c.actors.slashCommand({
    workspaceId: workspace.workspaceId,
    channelId: channel.id,
    userId: user.id,
    text,
  });
  const names = {
    user: (id: string) => workspace.users.find((u) => u.id === id)?.name ?? id,
    channel: (id: string) => workspace.channels.find((ch) => ch.id === id)?.name ?? id,
  };
  // This browser now acts as that person in the local Slack (Sign in with Slack, for `link`).
  const session = c.slack.fake.signIn({ workspaceId: workspace.workspaceId, userId: user.id, name: user.name });
  res.setHeader('set-cookie', `${session}; Path=/; HttpOnly; SameSite=Lax`);
  return json(res, 200, {
    status: reply.status,
    text: reply.text,
    inline: parseMrkdwn(reply.text, names),
  });
}

async function pullRequest(res: ServerResponse, c: PageContext, body: Record<string, unknown>): Promise<true> {
  const action = typeof body['action'] === 'string' ? body['action'] : '';
  if (!isOneOf(PR_ACTIONS, action)) return json(res, 400, { error: `action must be one of ${PR_ACTIONS.join(', ')}` });
  const str = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
  const number = body['number'];
  try {
    const played = await c.player.play({
      action,
      repo: str('repo') ?? '',
      ...(typeof number === 'number' ? { number } : {}),
      ...(str('login') !== undefined ? { login: str('login') } : {}),
      ...(str('title') !== undefined ? { title: str('title') } : {}),
    });
    return json(res, 200, played);
  } catch (err) {
    if (err instanceof PlayError) return json(res, err.status, { error: err.message });
    throw err;
  }
}

function events(req: IncomingMessage, res: ServerResponse, c: PageContext): true {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  const stop = c.slack.onChange(() => res.write('event: change\ndata: {}\n\n'));
  const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  req.once('close', () => {
    stop();
    clearInterval(heartbeat);
  });
  return true;
}

function refuse(req: IncomingMessage): { status: number; error: string } | null {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json'))
    return { status: 415, error: 'send JSON' };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`)
    return { status: 403, error: 'requests from other sites are refused' };
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** The page's security headers: its own script and style only, no framing, nothing sniffed. */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string): true {
  res.writeHead(status, { ...HEADERS, 'content-type': type }).end(body);
  return true;
}

function json(res: ServerResponse, status: number, body: unknown): true {
  return send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
