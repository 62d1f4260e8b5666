import { chatMethods } from './fake-slack-chat.js';
import type { MethodContext, MethodHandler } from './fake-slack-context.js';
import { dmMethods } from './fake-slack-dm.js';
import type { FakeSlackFailures } from './fake-slack-failures.js';
import { historyMethods } from './fake-slack-history.js';
import type { ChannelPacing } from './fake-slack-pacing.js';
import { createOAuthAccess, type FakeOAuthGrants } from './fake-slack-oauth.js';
import { oidcMethods, type FakeOidc } from './fake-slack-oidc.js';
import { reactionMethods } from './fake-slack-reactions.js';
import type { ParsedApiRequest } from './fake-slack-request.js';
import { loadSlackMethodSpecs } from './fake-slack-spec.js';
import type { FakeSlackState } from './fake-slack-state.js';
import { threadMethods } from './fake-slack-threads.js';
import { slackError, type ApiReply } from './fake-slack-types.js';
import { viewMethods } from './fake-slack-views.js';
import { workspaceMethods } from './fake-slack-workspace-methods.js';

export interface Dispatcher {
  (call: { method: string; request: ParsedApiRequest }): ApiReply;
}

/**
 * Answers one Web API call in the order Slack checks things: the method exists, the body is readable, scripted
 * failures, authentication (not_authed / invalid_auth / token_revoked), required arguments, then the method itself.
 */
export function createDispatcher(options: {
  state: FakeSlackState;
  grants: FakeOAuthGrants;
  oidc: FakeOidc;
  failures: FakeSlackFailures;
  clientId: string;
  clientSecret: string;
  pacing: ChannelPacing;
}): Dispatcher {
  const specs = loadSlackMethodSpecs();
  const handlers: Record<string, MethodHandler> = {
    ...chatMethods,
    ...historyMethods,
    ...threadMethods,
    ...dmMethods,
    ...reactionMethods,
    ...workspaceMethods,
    ...viewMethods,
    'oauth.v2.access': createOAuthAccess({ grants: options.grants, state: options.state }),
    ...oidcMethods({
      oidc: options.oidc,
      activateToken: (token, workspaceId) => options.state.activateToken(token, workspaceId),
    }),
  };
  return ({ method, request }) => {
    const spec = specs.get(method);
    if (!spec) return slackError('unknown_method', { req_method: method });
    if (request.bodyError) return slackError(request.bodyError);
    const scripted = options.failures.take({ method, token: request.token });
    if (scripted) return scripted;

    let team: MethodContext['team'] = null;
    if (spec.needsToken) {
      if (request.token === null) return slackError('not_authed');
      if (options.state.revoked.has(request.token)) return slackError('token_revoked');
      const workspaceId = options.state.tokens.get(request.token);
      if (workspaceId === undefined) return slackError('invalid_auth');
      team = options.state.workspace(workspaceId);
    }
    const missing = spec.required.filter((name) => isAbsent(request.args[name]));
    if (missing.length > 0) {
      return slackError('invalid_arguments', {
        response_metadata: { messages: missing.map((name) => `[ERROR] missing required field: ${name}`) },
      });
    }
    const handler = handlers[method];
    // A real method the fake does not model: fail loudly rather than pretend it worked.
    if (!handler) return { status: 501, body: { ok: false, error: 'not_implemented_in_fake', req_method: method } };
    const { state, clientId, clientSecret, pacing } = options;
    return handler({ state, team, request, clientId, clientSecret, pacing });
  };
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
