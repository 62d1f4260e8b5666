import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MethodHandler } from './fake-slack-context.js';
import { stringArg } from './fake-slack-request.js';
import { slackError, slackOk } from './fake-slack-types.js';

/** A person signed in to Slack in some browser. */
export interface FakeSlackPerson {
  workspaceId: string;
  userId: string;
  name?: string;
}

interface IssuedCode extends FakeSlackPerson {
  nonce: string | null;
  redirectUri: string;
}

/** Slack's own session cookie name: the browser that carries it is signed in as that person. */
const SESSION_COOKIE = 'd';

/**
 * Sign in with Slack (OpenID Connect): browsers' sessions, the codes the authorize page hands out, and the tokens
 * `openid.connect.token` exchanges them for. Like Slack, it signs in whoever the browser's session says, whatever
 * `team` the app hinted: the app must check who came back.
 */
export class FakeOidc {
  private readonly sessions = new Map<string, FakeSlackPerson>();
  private readonly codes = new Map<string, IssuedCode>();
  readonly tokens = new Map<string, FakeSlackPerson>();
  private readonly signingKey = randomBytes(32);

  /** A `Cookie` header value for the fake Slack's host: that browser is signed in as `person`. */
  signIn(person: FakeSlackPerson): string {
    const session = randomBytes(16).toString('hex');
    this.sessions.set(session, { ...person });
    return `${SESSION_COOKIE}=${session}`;
  }

  personOf(req: IncomingMessage): FakeSlackPerson | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [key, value] = part.trim().split('=');
      if (key === SESSION_COOKIE && value !== undefined) return this.sessions.get(value);
    }
    return undefined;
  }

  issueCode(code: IssuedCode): string {
    const value = `oidc-code-${randomBytes(9).toString('hex')}`;
    this.codes.set(value, code);
    return value;
  }

  takeCode(code: string): IssuedCode | undefined {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    return issued;
  }

  /** An id token as Slack issues it (a JWT; this fake signs with HS256 and a key of its own). */
  idToken(claims: Record<string, unknown>): string {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  clear(): void {
    this.sessions.clear();
    this.codes.clear();
    this.tokens.clear();
  }
}

/**
 * The Sign in with Slack authorize page at SLACK_OIDC_AUTHORIZE_URL: a signed-in browser is sent straight back to
 * `redirect_uri` with a code (and the state); a browser with no session sees a sign-in page.
 */
export function handleOidcAuthorize(c: {
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  clientId: string;
  oidc: FakeOidc;
}): void {
  const { url, res } = c;
  const page = (status: number, text: string) =>
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><p>${text}</p>`);
  const q = (name: string) => url.searchParams.get(name);
  if (q('client_id') !== c.clientId) return void page(400, 'invalid_client_id');
  if (q('response_type') !== 'code') return void page(400, 'unsupported_response_type');
  if (!(q('scope') ?? '').split(/[ ,]/).includes('openid')) return void page(400, 'invalid_scope: openid is required');
  const redirectUri = q('redirect_uri');
  if (!redirectUri) return void page(400, 'bad_redirect_uri');
  const person = c.oidc.personOf(c.req);
  if (!person) return void page(200, 'Sign in to your Slack workspace');
  const target = new URL(redirectUri);
  target.searchParams.set('code', c.oidc.issueCode({ ...person, nonce: q('nonce'), redirectUri }));
  const state = q('state');
  if (state !== null) target.searchParams.set('state', state);
  res.writeHead(302, { location: target.toString() }).end();
}

/** openid.connect.token and openid.connect.userInfo. */
export function oidcMethods(options: {
  oidc: FakeOidc;
  activateToken(token: string, workspaceId: string): void;
}): Record<string, MethodHandler> {
  const { oidc } = options;
  return {
    'openid.connect.token': (ctx) => {
      const { args, basic } = ctx.request;
      const clientId = stringArg(args, 'client_id') ?? basic?.user;
      const clientSecret = stringArg(args, 'client_secret') ?? basic?.password;
      if (clientId !== ctx.clientId) return slackError('invalid_client_id');
      if (clientSecret !== ctx.clientSecret) return slackError('bad_client_secret');
      const issued = oidc.takeCode(stringArg(args, 'code') ?? '');
      if (!issued) return slackError('invalid_code');
      if (stringArg(args, 'redirect_uri') !== issued.redirectUri) return slackError('bad_redirect_uri');
      const token = `xoxp-oidc-${randomBytes(10).toString('hex')}`;
      oidc.tokens.set(token, issued);
      options.activateToken(token, issued.workspaceId);
      const now = Math.floor(Date.now() / 1000);
      return slackOk({
        access_token: token,
        token_type: 'Bearer',
        id_token: oidc.idToken({
          iss: 'https://slack.com',
          sub: issued.userId,
          aud: clientId,
          exp: now + 3600,
          iat: now,
          auth_time: now,
          ...(issued.nonce !== null ? { nonce: issued.nonce } : {}),
          'https://slack.com/user_id': issued.userId,
          'https://slack.com/team_id': issued.workspaceId,
        }),
      });
    },
    'openid.connect.userInfo': (ctx) => {
      const person = oidc.tokens.get(ctx.request.token ?? '');
      // A bot token is not a Sign in with Slack token.
      if (!person) return slackError('not_allowed_token_type');
      return slackOk({
        sub: person.userId,
        'https://slack.com/user_id': person.userId,
        'https://slack.com/team_id': person.workspaceId,
        name: person.name ?? person.userId,
      });
    },
  };
}
