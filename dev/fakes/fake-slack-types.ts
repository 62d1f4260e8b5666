/** Shapes shared by the fake Slack's modules; re-exported from fake-slack.ts, which is what tests import. */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  botIsMember: boolean;
  archived?: boolean;
}
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  reactions: string[];
  thread_ts?: string;
  /** Message metadata as chat.postMessage was given it (conversations.history returns it with include_all_metadata). */
  metadata?: FakeMessageMetadata;
}
export interface FakeMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}
export interface FakeSlackCall {
  method: string;
  token: string | null;
  args: Record<string, unknown>;
  /** Which client called, when it used an API URL of the form `/as/<caller>/api/` (e.g. one server instance). */
  caller?: string;
}
export interface FakeUser {
  id: string;
  name: string;
}

export interface FakeWorkspaceInput {
  workspaceId: string;
  teamName?: string;
  botToken: string;
  botUserId?: string;
  enterpriseId?: string;
  channels?: FakeChannel[];
  users?: FakeUser[];
  /** The bot token's scopes; default: every scope. Methods the fake checks scopes for answer missing_scope without. */
  scopes?: string[];
}

export interface FakeOAuthGrantInput {
  workspaceId: string;
  teamName?: string;
  botToken: string;
  botUserId?: string;
  installerUserId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  scopes?: string[];
}

export interface FailNextOptions {
  method?: string;
  token?: string;
  error: string;
  times?: number;
  retryAfterSeconds?: number;
  /** Answer with this HTTP status instead of 200 (e.g. 500/503 to model a Slack outage). 'ratelimited' is always 429. */
  httpStatus?: number;
}

/** Every matching call fails for `durationMs` from now: a Slack incident or a rate-limited workspace. */
export interface FailForOptions extends Omit<FailNextOptions, 'times'> {
  durationMs: number;
}

export interface DelayNextOptions {
  method?: string;
  token?: string;
  /** The call is handled normally, but answered only after this long (the client's timeout may fire first). */
  delayMs: number;
  times?: number;
}

/** What a method handler answers: a Slack body, and optionally an HTTP status and headers. */
export interface ApiReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

export const slackError = (error: string, extra: Record<string, unknown> = {}): ApiReply => ({
  body: { ok: false, error, ...extra },
});

export const slackOk = (body: Record<string, unknown> = {}): ApiReply => ({ body: { ok: true, ...body } });
