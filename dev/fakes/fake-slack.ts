import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAuthorize } from './fake-slack-authorize.js';
import { createDispatcher } from './fake-slack-dispatch.js';
import { FakeSlackFailures, type FailureWindow } from './fake-slack-failures.js';
import { FakeSlackHooks, type CallHookOptions } from './fake-slack-hooks.js';
import { FakeOAuthGrants } from './fake-slack-oauth.js';
import { FakeOidc, handleOidcAuthorize, type FakeSlackPerson } from './fake-slack-oidc.js';
import { ChannelPacing, type ChannelPostRate } from './fake-slack-pacing.js';
import { parseApiRequest } from './fake-slack-request.js';
import { FakeResponseUrls } from './fake-slack-response-urls.js';
import { createFakeSocketMode, SOCKET_MODE_METHOD, type FakeSocketMode } from './fake-slack-socket-mode.js';
import { restoreFakeSlack, snapshotFakeSlack, type FakeSlackSnapshot } from './fake-slack-snapshot.js';
import { dmChannelId, FakeSlackState, type StoredMessage } from './fake-slack-state.js';
import { isTopLevel, repliesTo } from './fake-slack-threads.js';
import type {
  ApiReply,
  DelayNextOptions,
  FailForOptions,
  FailNextOptions,
  FakeChannel,
  FakeMessage,
  FakeOAuthGrantInput,
  FakeSlackCall,
  FakeWorkspaceInput,
} from './fake-slack-types.js';

export type {
  DelayNextOptions,
  FakeChannel,
  FakeMessage,
  FakeSlackCall,
  FailForOptions,
  FailNextOptions,
} from './fake-slack-types.js';
export type { CallHookOptions, HookedCall, HookVerdict } from './fake-slack-hooks.js';
export type { FailureWindow } from './fake-slack-failures.js';
export type { FakeSocketMode, SocketModeAck } from './fake-slack-socket-mode.js';

/**
 * A Slack Web API stand-in on 127.0.0.1 for tests: spec-checked methods, per-workspace tokens and channels,
 * message and reaction state, scripted failures (incl. 429), OAuth code exchange and response_urls.
 */
export interface FakeSlack {
  /** e.g. http://127.0.0.1:PORT/api/ (pass as SLACK_API_URL). */
  apiUrl: string;
  /** The API URL for one named caller (e.g. one server instance): its calls carry `caller`, so hooks can tell them apart. */
  apiUrlFor(caller: string): string;
  /** e.g. http://127.0.0.1:PORT/oauth/v2/authorize (pass as SLACK_AUTHORIZE_URL). */
  authorizeUrl: string;
  /** e.g. http://127.0.0.1:PORT/openid/connect/authorize (pass as SLACK_OIDC_AUTHORIZE_URL). */
  oidcAuthorizeUrl: string;
  /** A browser signs in to Slack as this person: returns the `Cookie` header to send to the fake's pages. */
  signIn(person: FakeSlackPerson): string;
  /** Every Web API call in order, failed ones included; blocks/attachments decoded from their JSON strings. */
  calls: FakeSlackCall[];
  callsTo(method: string, token?: string): FakeSlackCall[];
  /** Creates or updates a workspace: its token becomes valid, channels and users are added (same id replaces). */
  addWorkspace(w: FakeWorkspaceInput): void;
  /** Adds or replaces a channel (e.g. `{ ...c, archived: true }` to archive it mid-test). */
  addChannel(workspaceId: string, channel: FakeChannel): void;
  /** A single-use code for oauth.v2.access; the token becomes valid when it is exchanged. */
  createOAuthCode(w: FakeOAuthGrantInput): string;
  /**
   * What the channel shows: its top-level messages (after updates and reactions), oldest first. Thread replies are not
   * among them (see repliesOf); a parent with replies is.
   */
  messages(workspaceId: string, channelId: string): FakeMessage[];
  /** How many top-level messages the channel shows, without copying them: cheap enough to poll under load. */
  messageCount(workspaceId: string, channelId: string): number;
  /** The replies in the thread of `parentTs`, oldest first (text, blocks, metadata, reactions, thread_ts); [] for none. */
  repliesOf(workspaceId: string, channelId: string, parentTs: string): FakeMessage[];
  /** The direct messages the app sent a person (chat.postMessage to their user id or their DM), oldest first. */
  dmsTo(workspaceId: string, userId: string): FakeMessage[];
  /** A person deletes a message in the Slack client; later calls on its ts answer message_not_found. */
  deleteMessage(workspaceId: string, channelId: string, ts: string): void;
  /** Ephemeral messages the bot showed in a channel (not part of `messages`). */
  ephemerals(workspaceId: string, channelId: string): Array<{ user: string; text: string; blocks: unknown[] }>;
  /** A user's Home tab as the app last published it (views.publish), or undefined. */
  homeView(workspaceId: string, userId: string): Record<string, unknown> | undefined;
  /** Current state of a channel (e.g. botIsMember after conversations.join), or undefined. */
  channel(workspaceId: string, channelId: string): FakeChannel | undefined;
  /** The next matching call(s) answer `{ ok: false, error }`; 'ratelimited' answers HTTP 429 with Retry-After. */
  failNext(options: FailNextOptions): void;
  /** Every matching call fails for `durationMs` from now, or until ended (e.g. 429 + Retry-After for 30 s, or 503s). */
  failFor(options: FailForOptions): FailureWindow;
  /** Runs test code when a matching call arrives, or after Slack handled it and right before the answer is sent. */
  hook(options: CallHookOptions): void;
  /** Hold the next matching call(s) for `delayMs` before answering: a slow Slack for one workspace or method. */
  delayNext(options: DelayNextOptions): void;
  /** Every Web API call from now on is answered after `ms` (0: at once), as a real Slack's round trip would be. */
  setLatency(ms: number): void;
  /** Later calls with this token answer token_revoked (until a new OAuth exchange issues it again). */
  revokeToken(token: string): void;
  /** A response_url on this server; JSON bodies POSTed to it are recorded (five uses, as on Slack). */
  newResponseUrl(): { url: string; responses(): Array<Record<string, unknown>> };
  /** Socket Mode: app-level tokens, apps.connections.open, and requests sent to the app over its WebSocket. */
  socketMode: FakeSocketMode;
  /**
   * Forgets everything: calls, workspaces, tokens, codes, scripted failures, response_urls. Socket Mode's app tokens and
   * connections stay, so an app connected over Socket Mode stays connected between tests.
   */
  reset(): void;
  /** The world (workspaces, channels, users, messages, tokens) as JSON, and back (local mode keeps it on disk). */
  snapshot(): FakeSlackSnapshot;
  restore(snapshot: FakeSlackSnapshot): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  clientId?: string;
  clientSecret?: string;
  /** Opt-in: enforce Slack's per-channel posting limit on chat.postMessage (429 + Retry-After when exceeded). */
  channelPostRate?: ChannelPostRate;
  /** Listen on this loopback port (default: any free one). */
  port?: number;
  /** Answer every Web API call after this many ms (default 0); setLatency changes it later. */
  latencyMs?: number;
  /** Called after each Web API call was answered (local mode saves the world then). */
  onApiCall?: (call: FakeSlackCall) => void;
  /** Serves a request that is not Slack's (local mode's page); answers false to leave it to the fake (404). */
  otherRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clientId = options.clientId ?? 'fake-client-id';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const state = new FakeSlackState();
  const grants = new FakeOAuthGrants();
  const oidc = new FakeOidc();
  const failures = new FakeSlackFailures();
  const hooks = new FakeSlackHooks();
  const responseUrls = new FakeResponseUrls();
  const calls: FakeSlackCall[] = [];
  const pacing = new ChannelPacing(options.channelPostRate ?? null);
  let latencyMs = options.latencyMs ?? 0;
  const dispatch = createDispatcher({ state, grants, oidc, failures, clientId, clientSecret, pacing });
  const socketMode = createFakeSocketMode({
    wsBase: () => base.replace(/^http:/, 'ws:'),
    newResponseUrl: () => responseUrls.create(base),
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^(?:\/as\/([\w-]+))?\/api\/([\w.]+)$/.exec(url.pathname);
    if (api?.[2]) {
      const method = api[2];
      const request = await parseApiRequest(req, url);
      const call = {
        method,
        token: request.token,
        args: structuredClone(request.args),
        ...(api[1] ? { caller: api[1] } : {}),
      };
      calls.push(call);
      const hooked = { ...call, callerGone: new Promise<void>((resolve) => res.once('close', () => resolve())) };
      if ((await hooks.run('arrival', hooked)) === 'drop') return void res.destroy();
      const delayMs = failures.takeDelay({ method, token: request.token }) + latencyMs;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const reply =
        method === SOCKET_MODE_METHOD
          ? (failures.take({ method, token: request.token }) ??
            socketMode.open({ authorization: req.headers.authorization }))
          : dispatch({ method, request });
      if ((await hooks.run('answer', hooked)) === 'drop') return void res.destroy();
      send(res, reply);
      return options.onApiCall?.(call);
    }
    const response = /^\/response\/(\w+)$/.exec(url.pathname);
    if (response?.[1]) return responseUrls.handle(response[1], req, res);
    if (url.pathname === '/oauth/v2/authorize') return handleAuthorize({ url, res, clientId, grants });
    if (url.pathname === '/openid/connect/authorize') return handleOidcAuthorize({ url, req, res, clientId, oidc });
    if (await options.otherRoutes?.(req, res, url)) return;
    send(res, { status: 404, body: { ok: false, error: 'not_found' } });
  };
  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) =>
      send(res, { status: 500, body: { ok: false, error: 'fake_crashed', detail: String(err) } }),
    );
  });
  server.on('upgrade', (req, socket, head) => socketMode.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const channelMessages = (workspaceId: string, channelId: string): StoredMessage[] =>
    state.workspaces.get(workspaceId)?.messages.get(channelId) ?? [];

  return {
    apiUrl: `${base}/api/`,
    apiUrlFor: (caller) => `${base}/as/${encodeURIComponent(caller)}/api/`,
    authorizeUrl: `${base}/oauth/v2/authorize`,
    oidcAuthorizeUrl: `${base}/openid/connect/authorize`,
    signIn: (person) => oidc.signIn(person),
    calls,
    callsTo: (method, token) => calls.filter((c) => c.method === method && (token === undefined || c.token === token)),
    addWorkspace: (w) => void state.upsertWorkspace(w),
    addChannel: (workspaceId, channel) => void state.upsertWorkspace({ workspaceId, channels: [channel] }),
    createOAuthCode: (w) => {
      state.upsertWorkspace({
        workspaceId: w.workspaceId,
        ...(w.teamName !== undefined ? { teamName: w.teamName } : {}),
      });
      return grants.create(w);
    },
    messages: (workspaceId, channelId) => channelMessages(workspaceId, channelId).filter(isTopLevel).map(publicCopy),
    messageCount: (workspaceId, channelId) =>
      channelMessages(workspaceId, channelId).reduce((n, m) => (isTopLevel(m) ? n + 1 : n), 0),
    repliesOf: (workspaceId, channelId, parentTs) =>
      repliesTo(channelMessages(workspaceId, channelId), parentTs).map(publicCopy),
    dmsTo: (workspaceId, userId) =>
      channelMessages(workspaceId, dmChannelId(userId)).filter(isTopLevel).map(publicCopy),
    ephemerals: (workspaceId, channelId) =>
      (state.workspaces.get(workspaceId)?.ephemerals ?? [])
        .filter((e) => e.channel === channelId)
        .map(({ channel: _channel, ...e }) => structuredClone(e)),
    homeView: (workspaceId, userId) => {
      const view = state.workspaces.get(workspaceId)?.homeViews.get(userId);
      return view ? structuredClone(view) : undefined;
    },
    channel: (workspaceId, channelId) => {
      const c = state.workspaces.get(workspaceId)?.channels.get(channelId);
      return c ? { ...c } : undefined;
    },
    failNext: (o) => failures.add(o),
    failFor: (o) => failures.addWindow(o),
    hook: (o) => hooks.add(o),
    delayNext: (o) => failures.addDelay(o),
    setLatency: (ms) => void (latencyMs = ms),
    deleteMessage: (workspaceId, channelId, ts) => {
      const list = state.workspaces.get(workspaceId)?.messages.get(channelId) ?? [];
      const index = list.findIndex((m) => m.ts === ts);
      if (index < 0) throw new Error(`no message ${ts} in ${workspaceId}/${channelId}`);
      list.splice(index, 1);
    },
    revokeToken: (token) => void state.revoked.add(token),
    newResponseUrl: () => responseUrls.create(base),
    socketMode,
    reset: () => {
      calls.length = 0;
      state.clear();
      grants.clear();
      oidc.clear();
      failures.clear();
      hooks.clear();
      responseUrls.clear();
      pacing.clear();
    },
    snapshot: () => snapshotFakeSlack(state),
    restore: (snapshot) => restoreFakeSlack(state, snapshot),
    close: () =>
      new Promise<void>((resolve, reject) => {
        socketMode.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A message as tests see it: without the fake's own bookkeeping, and a copy they cannot change the world through. */
function publicCopy({ postedBy: _postedBy, ...m }: StoredMessage): FakeMessage {
  return structuredClone(m);
}

function send(res: ServerResponse, reply: ApiReply): void {
  if (res.headersSent) return;
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}
