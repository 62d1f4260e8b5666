import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { FAKE_APP_ID } from './fake-slack-oauth.js';
import { slackError, slackOk, type ApiReply } from './fake-slack-types.js';

/**
 * Slack's Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode), as an app sees it: `apps.connections.open`
 * with an app-level token (`xapp-…`, in the Authorization header only) answers a single-use WebSocket URL; on connect
 * Slack sends `hello`, then one envelope per request (`{ envelope_id, type, payload, accepts_response_payload }`),
 * which the app acknowledges with `{ envelope_id, payload? }` within 3 seconds.
 */
export interface FakeSocketMode {
  /** A new app-level token that apps.connections.open accepts (pass it as SLACK_APP_TOKEN). */
  createAppToken(): string;
  /** Connections that got their `hello` and are still open. */
  openConnections(): number;
  /** Every connection so far, oldest first: still open, or the close code it ended with (1000: the app said goodbye). */
  connections(): Array<{ open: boolean; closeCode: number | null }>;
  /** Resolves once a connection is open (the app called apps.connections.open and connected). */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** A slash command as Slack sends it over the socket; the app's replies to its response_url are recorded. */
  sendSlashCommand(c: SocketSlashCommand): Promise<{ ack: SocketModeAck; replies(): Array<Record<string, unknown>> }>;
  /** An Events API `event_callback` body, wrapped in an `events_api` envelope. */
  sendEvent(body: Record<string, unknown>): Promise<SocketModeAck>;
  /** An interactivity payload (block_actions, view_submission, …) in an `interactive` envelope. */
  sendInteractive(
    payload: Record<string, unknown>,
    options?: { acceptsResponsePayload?: boolean },
  ): Promise<SocketModeAck>;
  /** Slack recycling a connection: `{ type: "disconnect", reason: "refresh_requested" }`; the app should reconnect. */
  requestRefresh(): void;
}

export interface SocketSlashCommand {
  workspaceId: string;
  userId: string;
  text: string;
  channelId?: string;
  command?: string;
}

/** What the app sent back for one envelope. */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** The parts fake-slack.ts wires in: the Web API method, the WebSocket upgrade, and shutdown. */
export interface FakeSocketModeServer extends FakeSocketMode {
  /** apps.connections.open, given the request's Authorization header (Slack accepts the app token only there). */
  open(input: { authorization: string | undefined }): ApiReply;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export const SOCKET_MODE_METHOD = 'apps.connections.open';
/** Slack's URLs look like wss://wss-primary.slack.com/link/?ticket=…&app_id=… */
const LINK_PATH = '/link/';
/** Slack retries an envelope that is not acknowledged within 3 seconds. */
const ACK_TIMEOUT_MS = 3_000;
const CONNECT_WAIT_MS = 5_000;

interface Connection {
  socket: WebSocket;
  open: boolean;
  closeCode: number | null;
}

export function createFakeSocketMode(options: {
  /** e.g. ws://127.0.0.1:PORT, the fake Slack's own address. */
  wsBase: () => string;
  newResponseUrl: () => { url: string; responses(): Array<Record<string, unknown>> };
}): FakeSocketModeServer {
  const appTokens = new Set<string>();
  const tickets = new Set<string>();
  const all: Connection[] = [];
  const pending = new Map<string, (ack: SocketModeAck) => void>();
  const waiters: Array<() => void> = [];
  const wss = new WebSocketServer({ noServer: true });

  const newest = () => [...all].reverse().find((c) => c.open);

  const waitForConnection = async (timeoutMs = CONNECT_WAIT_MS): Promise<void> => {
    if (newest()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };

  const send = async (envelope: {
    type: 'slash_commands' | 'events_api' | 'interactive';
    payload: Record<string, unknown>;
    acceptsResponsePayload: boolean;
  }): Promise<SocketModeAck> => {
    await waitForConnection();
    const connection = newest();
    if (!connection) throw new Error('no Socket Mode connection is open');
    const envelopeId = randomBytes(16).toString('hex');
    const acked = new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelopeId);
        reject(new Error(`envelope ${envelope.type} was not acknowledged within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    connection.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type: envelope.type,
        payload: envelope.payload,
        accepts_response_payload: envelope.acceptsResponsePayload,
        ...(envelope.type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      }),
    );
    return acked;
  };

  const onMessage = (data: RawData) => {
    const ack = parseAck(data);
    if (!ack) return;
    const resolve = pending.get(ack.envelope_id);
    pending.delete(ack.envelope_id);
    resolve?.(ack);
  };

  return {
    createAppToken: () => {
      const token = `xapp-1-${FAKE_APP_ID}-${Date.now()}-${randomBytes(16).toString('hex')}`;
      appTokens.add(token);
      return token;
    },
    openConnections: () => all.filter((c) => c.open).length,
    connections: () => all.map(({ open, closeCode }) => ({ open, closeCode })),
    waitForConnection,
    async sendSlashCommand(c) {
      const target = options.newResponseUrl();
      // The fields of the HTTP form body, as a JSON object of strings.
      const payload = {
        token: 'deprecated-verification-token',
        team_id: c.workspaceId,
        team_domain: c.workspaceId.toLowerCase(),
        channel_id: c.channelId ?? 'CGENERAL',
        channel_name: 'channel',
        user_id: c.userId,
        user_name: c.userId.toLowerCase(),
        command: c.command ?? '/notify',
        text: c.text,
        api_app_id: FAKE_APP_ID,
        is_enterprise_install: 'false',
        response_url: target.url,
        trigger_id: `${Date.now()}.trigger`,
      };
      const ack = await send({ type: 'slash_commands', payload, acceptsResponsePayload: true });
      return { ack, replies: target.responses };
    },
    sendEvent: (body) => send({ type: 'events_api', payload: body, acceptsResponsePayload: false }),
    sendInteractive: (payload, o = {}) =>
      send({ type: 'interactive', payload, acceptsResponsePayload: o.acceptsResponsePayload ?? false }),
    requestRefresh: () => {
      const message = JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake' } });
      for (const c of all) if (c.open) c.socket.send(message);
    },

    open({ authorization }) {
      // Slack refuses the app token as a POST parameter: without the header the caller is not authenticated.
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? null;
      if (bearer === null) return slackError('not_authed');
      if (!bearer.startsWith('xapp-')) return slackError('not_allowed_token_type');
      if (!appTokens.has(bearer)) return slackError('invalid_auth');
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      return slackOk({ url: `${options.wsBase()}${LINK_PATH}?ticket=${ticket}&app_id=${FAKE_APP_ID}` });
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const ticket = url.searchParams.get('ticket') ?? '';
      // A URL from apps.connections.open is good for one connection.
      if (url.pathname !== LINK_PATH || !tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connection: Connection = { socket: ws, open: true, closeCode: null };
        all.push(connection);
        ws.on('message', onMessage);
        ws.on('close', (code) => {
          connection.open = false;
          connection.closeCode = code;
        });
        ws.send(
          JSON.stringify({
            type: 'hello',
            num_connections: all.filter((c) => c.open).length,
            debug_info: { host: 'fake-slack', build_number: 1, approximate_connection_time: 18060 },
            connection_info: { app_id: FAKE_APP_ID },
          }),
        );
        waiters.splice(0).forEach((wake) => wake());
      });
    },
    close() {
      for (const c of all) if (c.open) c.socket.terminate();
      wss.close();
    },
  };
}

/** `{ envelope_id, payload? }` from the app; anything else is ignored, as Slack ignores it. */
function parseAck(data: RawData): SocketModeAck | null {
  let parsed: unknown;
  try {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const envelopeId: unknown = Reflect.get(parsed, 'envelope_id');
  const payload: unknown = Reflect.get(parsed, 'payload');
  if (typeof envelopeId !== 'string') return null;
  const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  return { envelope_id: envelopeId, ...(isObject ? { payload: { ...payload } } : {}) };
}
