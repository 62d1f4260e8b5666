import { GitHubApiError, GitHubOAuthError, type GitHubOAuthClient } from '../../github-api/index.js';
import type { Logger } from '../../log.js';
import type { OAuthStateStore, UserStore } from '../../store/types.js';
import { explainRefusedState, STATE_LIFETIME_MS, type SignedStates } from '../oauth/signed-state.js';

export type LinkOutcome =
  | { kind: 'linked'; teamId: string; login: string; githubUserId: number }
  | { kind: 'state_refused'; reason: 'forged' | 'expired' | 'used' }
  | { kind: 'missing_parameters' }
  | { kind: 'denied'; teamId: string }
  | { kind: 'github_error'; teamId: string | null; detail: string };

/**
 * GitHub identity linking. The state is bound to the Slack workspace and user who ran `/notify link`, lives
 * 15 minutes and works once; whoever completes it links *that* Slack user. The GitHub user token is used
 * for one `GET /user` and then dropped.
 */
export function createLinkService(options: {
  oauth: GitHubOAuthClient;
  oauthStates: OAuthStateStore;
  users: UserStore;
  states: SignedStates;
  redirectUri: string;
  log: Logger;
  now: () => Date;
}) {
  const { oauth, oauthStates, users, states, redirectUri, log, now } = options;
  return {
    async start(input: { teamId: string; slackUserId: string }): Promise<string> {
      const state = states.issue();
      const expiresAt = new Date(now().getTime() + STATE_LIFETIME_MS);
      await oauthStates.create({ state, kind: 'github_link', teamId: input.teamId, slackUserId: input.slackUserId, expiresAt, data: {} });
      return oauth.authorizeUrl({ state, redirectUri });
    },

    async complete(input: { state?: string; code?: string; error?: string }): Promise<LinkOutcome> {
      if (!input.state) return { kind: 'missing_parameters' };
      const read = states.read(input.state);
      if (read === null) return { kind: 'state_refused', reason: 'forged' };
      const at = now();
      // Consumed before the code exchange: a state is spent even when GitHub then fails.
      const record = await oauthStates.consume({ state: input.state, kind: 'github_link', now: at });
      if (record === null) return { kind: 'state_refused', reason: explainRefusedState(read, at) };
      const teamId = record.teamId;
      const slackUserId = record.slackUserId;
      if (teamId === null || slackUserId === null) return { kind: 'state_refused', reason: 'forged' };
      if (input.error === 'access_denied') return { kind: 'denied', teamId };
      if (!input.code) return { kind: 'missing_parameters' };
      try {
        const token = await oauth.exchangeCode({ code: input.code, redirectUri });
        const user = await oauth.fetchUser(token);
        await users.linkGithub({ teamId, slackUserId, githubUserId: user.id, githubLogin: user.login, at: now() });
        log.info({ team_id: teamId, slack_user_id: slackUserId, github_user_id: user.id }, 'GitHub account linked');
        return { kind: 'linked', teamId, login: user.login, githubUserId: user.id };
      } catch (err) {
        if (err instanceof GitHubOAuthError || err instanceof GitHubApiError) {
          log.warn({ team_id: teamId, err: err.message }, 'GitHub link failed');
          return { kind: 'github_error', teamId, detail: err.message };
        }
        throw err;
      }
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
