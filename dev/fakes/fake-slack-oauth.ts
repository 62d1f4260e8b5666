import { randomBytes } from 'node:crypto';
import type { MethodHandler } from './fake-slack-context.js';
import { stringArg } from './fake-slack-request.js';
import type { FakeSlackState } from './fake-slack-state.js';
import { slackError, slackOk, type FakeOAuthGrantInput } from './fake-slack-types.js';

const DEFAULT_SCOPES = [
  'commands',
  'chat:write',
  'reactions:write',
  'channels:read',
  'groups:read',
  'channels:join',
  'users:read',
  'channels:history',
  'groups:history',
  'im:write',
  'im:history',
];
export const FAKE_APP_ID = 'AFAKEAPP01';

/** Codes handed out by createOAuthCode; each is exchanged once by oauth.v2.access, as on Slack. */
export class FakeOAuthGrants {
  private readonly grants = new Map<string, FakeOAuthGrantInput>();
  /** Codes not yet handed to a browser through the authorize page, oldest first. */
  private readonly awaitingConsent: string[] = [];

  create(grant: FakeOAuthGrantInput): string {
    const code = `fake-code-${randomBytes(9).toString('hex')}`;
    this.grants.set(code, { ...grant });
    this.awaitingConsent.push(code);
    return code;
  }

  /** The authorize page "approves" with the oldest code prepared by the test, if any. */
  nextConsentCode(): string | undefined {
    return this.awaitingConsent.shift();
  }

  take(code: string): FakeOAuthGrantInput | undefined {
    const grant = this.grants.get(code);
    this.grants.delete(code);
    const waiting = this.awaitingConsent.indexOf(code);
    if (waiting >= 0) this.awaitingConsent.splice(waiting, 1);
    return grant;
  }

  clear(): void {
    this.grants.clear();
    this.awaitingConsent.length = 0;
  }
}

/** oauth.v2.access: client credentials from form params or HTTP Basic (both are allowed by Slack). */
export function createOAuthAccess(options: { grants: FakeOAuthGrants; state: FakeSlackState }): MethodHandler {
  return (ctx) => {
    const { args, basic } = ctx.request;
    const clientId = stringArg(args, 'client_id') ?? basic?.user;
    const clientSecret = stringArg(args, 'client_secret') ?? basic?.password;
    if (clientId === undefined) return slackError('invalid_client_id');
    if (clientId !== ctx.clientId) return slackError('invalid_client_id');
    if (clientSecret !== ctx.clientSecret) return slackError('bad_client_secret');
    const grant = options.grants.take(stringArg(args, 'code') ?? '');
    if (!grant) return slackError('invalid_code');
    const ws = options.state.upsertWorkspace({
      workspaceId: grant.workspaceId,
      ...(grant.teamName !== undefined ? { teamName: grant.teamName } : {}),
      ...(grant.botUserId !== undefined ? { botUserId: grant.botUserId } : {}),
      ...(grant.enterpriseId !== undefined ? { enterpriseId: grant.enterpriseId } : {}),
      botToken: grant.botToken,
      scopes: grant.scopes ?? DEFAULT_SCOPES,
    });
    const enterprise = ws.enterpriseId
      ? { id: ws.enterpriseId, name: `enterprise-${ws.enterpriseId.toLowerCase()}` }
      : null;
    const isEnterpriseInstall = grant.isEnterpriseInstall === true;
    return slackOk({
      app_id: FAKE_APP_ID,
      authed_user: { id: grant.installerUserId ?? 'UINSTALLER' },
      scope: (grant.scopes ?? DEFAULT_SCOPES).join(','),
      token_type: 'bot',
      access_token: grant.botToken,
      bot_user_id: ws.botUserId,
      team: isEnterpriseInstall ? null : { id: ws.workspaceId, name: ws.teamName },
      enterprise,
      is_enterprise_install: isEnterpriseInstall,
    });
  };
}
