import { randomBytes } from 'node:crypto';
import { GitHubApiError, GitHubOAuthError, type GitHubOAuthClient } from '../../github-api/index.js';
import type { Logger } from '../../log.js';
import type { SubscriptionStore, UserStore, WorkspaceStore } from '../../store/types.js';
import { STATE_LIFETIME_MS } from '../oauth/signed-state.js';
import type { LinkNotifier } from './link-notice.js';
import { newBrowserSession, type LinkSteps, type StepRefusal } from './link-steps.js';
import { SlackIdentityError, type SlackIdentity, type SlackIdentityClient } from './slack-identity.js';

/** Where a step sends the browser next, and the link cookie it must carry there. */
export type LinkRedirect = { kind: 'redirect'; location: string; browserSession?: string };

export type LinkOutcome =
  | {
      kind: 'linked';
      workspaceId: string;
      teamName: string | null;
      slackUserId: string;
      slackUserName: string | null;
      login: string;
      githubUserId: number;
    }
  | { kind: 'state_refused'; reason: StepRefusal }
  | { kind: 'missing_parameters' }
  | { kind: 'denied'; workspaceId: string; by: 'slack' | 'github' }
  | { kind: 'wrong_slack_user'; workspaceId: string }
  | { kind: 'upstream_refused'; workspaceId: string; by: 'slack' | 'github'; detail: string }
  | { kind: 'upstream_failed'; workspaceId: string; by: 'slack' | 'github'; detail: string };

/** What a callback received in its query string (each value present only when it is a sane string). */
export interface CallbackInput {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  browserSession?: string | undefined;
}

/**
 * GitHub identity linking (CONTRACT.md §4). The link `/notify link` gives out starts a flow in one browser that must
 * prove both identities: Sign in with Slack as the very user and workspace that asked, then GitHub OAuth. Every step's
 * state is single use, lives no longer than the first link's 15 minutes, and is bound to the browser's link cookie,
 * so a link (or a later step's URL) completed by anyone else links nothing. The GitHub user token is used for one
 * `GET /user` and dropped.
 */
export function createLinkService(options: {
  steps: LinkSteps;
  slackIdentity: SlackIdentityClient;
  github: GitHubOAuthClient;
  users: UserStore;
  subscriptions: SubscriptionStore;
  workspaces: WorkspaceStore;
  notifier: LinkNotifier;
  /** `BASE_URL/link`: the first step's address. */
  startUrl: string;
  githubRedirectUri: string;
  log: Logger;
  now: () => Date;
}) {
  const { steps, slackIdentity, github, users, subscriptions, workspaces, notifier, log, now } = options;

  return {
    /** The one-time link for `/notify link`, bound to the Slack user and workspace that ran it. */
    async start(input: { workspaceId: string; slackUserId: string }): Promise<string> {
      const expiresAt = new Date(now().getTime() + STATE_LIFETIME_MS);
      const state = await steps.issue({ kind: 'link_start', ...input, expiresAt });
      return `${options.startUrl}?${new URLSearchParams({ state })}`;
    },

    /** Step 1: the browser opened the link. It gets a link cookie and goes to Sign in with Slack. */
    async open(input: { state?: string | undefined }): Promise<LinkRedirect | LinkOutcome> {
      if (!input.state) return { kind: 'missing_parameters' };
      const step = await steps.consume({ kind: 'link_start', state: input.state });
      if (!step.ok) return { kind: 'state_refused', reason: step.reason };
      const { workspaceId, slackUserId, expiresAt } = step.record;
      if (workspaceId === null || slackUserId === null) return { kind: 'state_refused', reason: 'forged' };
      const browserSession = newBrowserSession();
      const nonce = randomBytes(18).toString('base64url');
      const state = await steps.issue({
        kind: 'slack_oidc',
        workspaceId,
        slackUserId,
        expiresAt,
        browserSession,
        data: { nonce },
      });
      return { kind: 'redirect', location: slackIdentity.authorizeUrl({ state, nonce, workspaceId }), browserSession };
    },

    /** Step 2: back from Sign in with Slack. Only the user and workspace that ran `/notify link` go on to GitHub. */
    async confirmSlack(input: CallbackInput): Promise<LinkRedirect | LinkOutcome> {
      if (!input.state) return { kind: 'missing_parameters' };
      const step = await steps.consume({
        kind: 'slack_oidc',
        state: input.state,
        browserSession: input.browserSession,
      });
      if (!step.ok) return { kind: 'state_refused', reason: step.reason };
      const { workspaceId, slackUserId, expiresAt, data } = step.record;
      if (workspaceId === null || slackUserId === null || data['nonce'] === undefined)
        return { kind: 'state_refused', reason: 'forged' };
      if (input.error !== undefined) return { kind: 'denied', workspaceId, by: 'slack' };
      if (!input.code) return { kind: 'missing_parameters' };
      let identity: SlackIdentity;
      try {
        identity = await slackIdentity.verify({ code: input.code, nonce: data['nonce'] });
      } catch (err) {
        if (!(err instanceof SlackIdentityError)) throw err;
        log.warn({ team_id: workspaceId, problem: err.message }, 'Sign in with Slack failed');
        const kind = err.kind === 'refused' ? 'upstream_refused' : 'upstream_failed';
        return { kind, workspaceId, by: 'slack', detail: err.message };
      }
      const sameWorkspace = identity.teamId === workspaceId || identity.enterpriseId === workspaceId;
      if (identity.userId !== slackUserId || !sameWorkspace) {
        log.warn(
          {
            team_id: workspaceId,
            slack_user_id: slackUserId,
            signed_in_team: identity.teamId,
            signed_in_user: identity.userId,
          },
          'link opened by another Slack user refused',
        );
        return { kind: 'wrong_slack_user', workspaceId };
      }
      const state = await steps.issue({
        kind: 'github_link',
        workspaceId,
        slackUserId,
        expiresAt,
        browserSession: input.browserSession,
        data: identity.name !== null ? { slack_name: identity.name } : {},
      });
      return { kind: 'redirect', location: github.authorizeUrl({ state, redirectUri: options.githubRedirectUri }) };
    },

    /** Step 3: back from GitHub in the same browser. Links the GitHub account and tells the Slack user by DM. */
    async complete(input: CallbackInput): Promise<LinkOutcome> {
      if (!input.state) return { kind: 'missing_parameters' };
      const step = await steps.consume({
        kind: 'github_link',
        state: input.state,
        browserSession: input.browserSession,
      });
      if (!step.ok) return { kind: 'state_refused', reason: step.reason };
      const { workspaceId, slackUserId, data } = step.record;
      if (workspaceId === null || slackUserId === null) return { kind: 'state_refused', reason: 'forged' };
      if (input.error !== undefined) return { kind: 'denied', workspaceId, by: 'github' };
      if (!input.code) return { kind: 'missing_parameters' };
      let user;
      try {
        user = await github.fetchUser(
          await github.exchangeCode({ code: input.code, redirectUri: options.githubRedirectUri }),
        );
      } catch (err) {
        if (err instanceof GitHubOAuthError)
          return { kind: 'upstream_refused', workspaceId, by: 'github', detail: err.message };
        if (err instanceof GitHubApiError) {
          log.warn({ team_id: workspaceId, problem: err.message }, 'GitHub link failed');
          return { kind: 'upstream_failed', workspaceId, by: 'github', detail: err.message };
        }
        throw err;
      }
      const previous = (await users.get(workspaceId, slackUserId))?.githubUserId ?? null;
      // Private repos proved by the account this user linked before are no longer proved by anyone here. Suspended
      // before the new link is stored (as unlink does): if either fails, the page says nothing was linked and the old
      // account, still linked, still proves them; never the new account linked and the old proofs still posting.
      const suspended =
        previous !== null && previous !== user.id
          ? await subscriptions.suspendProvenBy({
              workspaceId,
              githubUserId: previous,
              reason: 'github_relinked',
              actor: slackUserId,
              at: now(),
            })
          : [];
      await users.linkGithub({ workspaceId, slackUserId, githubUserId: user.id, githubLogin: user.login, at: now() });
      log.info({ team_id: workspaceId, slack_user_id: slackUserId, github_user_id: user.id }, 'GitHub account linked');
      // Linked now: what follows only adds to the answer, so its failure must not turn it into "nothing was linked".
      const teamName = await workspaces.get(workspaceId).then(
        (w) => w?.teamName ?? null,
        (err: unknown) => {
          log.warn({ err, team_id: workspaceId }, 'workspace name not read for the link page');
          return null;
        },
      );
      // Best effort by design (the notifier logs and drops a Slack failure).
      await notifier.linked({
        workspaceId,
        slackUserId,
        login: user.login,
        suspendedRepos: suspended.map((s) => s.repoFullName),
      });
      return {
        kind: 'linked',
        workspaceId,
        teamName,
        slackUserId,
        slackUserName: data['slack_name'] ?? null,
        login: user.login,
        githubUserId: user.id,
      };
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
