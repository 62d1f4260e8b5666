import type { WebClient } from '@slack/web-api';
import { UpstreamError } from '../../shared/errors.js';
import { toRecord } from '../../shared/json-reader.js';
import { slackErrorCode } from '../slack-errors.js';

/** Who signed in with Slack: the Slack user and the workspace (and enterprise, on Enterprise Grid). */
export interface SlackIdentity {
  userId: string;
  teamId: string;
  enterpriseId: string | null;
  /** The person's name as Slack shows it, for the result page; null when Slack did not say. */
  name: string | null;
}

/**
 * Sign in with Slack did not produce an identity. `refused`: the visitor's code, nonce or sign-in was not good
 * (their side, a 4xx page); `unavailable`: Slack could not be reached or failed (a real upstream failure, 502).
 */
export class SlackIdentityError extends UpstreamError {
  constructor(
    readonly kind: 'refused' | 'unavailable',
    message: string,
  ) {
    super({ upstream: 'slack', message });
    this.name = 'SlackIdentityError';
  }
}

/**
 * Sign in with Slack (OpenID Connect) for the same Slack app: the authorize URL, then `openid.connect.token` and
 * `openid.connect.userInfo` through the one WebClient (so SLACK_API_URL applies). The id token comes straight from
 * Slack's token endpoint over TLS, so its signature is not checked (OpenID Connect Core §3.1.3.7); its `nonce` and
 * audience are, and the identity itself is read from userInfo.
 */
/** Sign in with Slack asks for nothing but the user's identity. */
export const OIDC_SCOPES = ['openid'] as const;

export function createSlackIdentity(options: {
  slack: WebClient;
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}) {
  const { slack, clientId, clientSecret, redirectUri } = options;
  return {
    authorizeUrl(input: { state: string; nonce: string; workspaceId: string }): string {
      const url = new URL(options.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        scope: OIDC_SCOPES.join(' '),
        client_id: clientId,
        redirect_uri: redirectUri,
        state: input.state,
        nonce: input.nonce,
        team: input.workspaceId,
      }).toString();
      return url.toString();
    },

    async verify(input: { code: string; nonce: string }): Promise<SlackIdentity> {
      const tokens = await call(() =>
        slack.openid.connect.token({
          client_id: clientId,
          client_secret: clientSecret,
          code: input.code,
          redirect_uri: redirectUri,
          grant_type: 'authorization_code',
        }),
      );
      const accessToken = tokens.access_token;
      if (typeof accessToken !== 'string' || accessToken.length === 0)
        throw new SlackIdentityError('unavailable', 'Slack returned no access token');
      const claims = idTokenClaims(tokens.id_token);
      if (claims['nonce'] !== input.nonce)
        throw new SlackIdentityError('refused', 'the sign-in does not belong to this link (nonce mismatch)');
      if (!audienceIncludes(claims['aud'], clientId))
        throw new SlackIdentityError('refused', 'the sign-in was issued to another app');
      const info = toRecord(await call(() => slack.openid.connect.userInfo({ token: accessToken })));
      const userId = info['https://slack.com/user_id'];
      const teamId = info['https://slack.com/team_id'];
      if (typeof userId !== 'string' || typeof teamId !== 'string')
        throw new SlackIdentityError('unavailable', 'Slack returned no user and workspace');
      const enterpriseId = info['https://slack.com/enterprise_id'];
      const name = info['name'];
      return {
        userId,
        teamId,
        enterpriseId: typeof enterpriseId === 'string' && enterpriseId.length > 0 ? enterpriseId : null,
        name: typeof name === 'string' && name.length > 0 ? name : null,
      };
    },
  };
}

export type SlackIdentityClient = ReturnType<typeof createSlackIdentity>;

/** A Slack error code answer is the visitor's code or sign-in being refused; anything else is Slack failing. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = slackErrorCode(err);
    if (code !== null && code !== 'ratelimited' && code !== 'internal_error' && code !== 'fatal_error') {
      throw new SlackIdentityError('refused', `Slack answered ${code}`);
    }
    throw new SlackIdentityError(
      'unavailable',
      code === null ? 'Slack could not be reached' : `Slack answered ${code}`,
    );
  }
}

function idTokenClaims(idToken: unknown): Record<string, unknown> {
  const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined;
  if (payload === undefined) throw new SlackIdentityError('unavailable', 'Slack returned no id token');
  try {
    return toRecord(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new SlackIdentityError('unavailable', 'Slack returned an unreadable id token');
  }
}

function audienceIncludes(aud: unknown, clientId: string): boolean {
  return aud === clientId || (Array.isArray(aud) && aud.includes(clientId));
}
