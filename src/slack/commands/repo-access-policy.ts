import { GitHubApiError, type RepoAccessClient } from '../../github-api/index.js';
import type { AccessProof, UserStore } from '../../store/types.js';
import type { RepoName } from './parse-repo.js';

/** On success, the proof the subscription records: the public check, or the GitHub user whose access was confirmed. */
export type RepoAccessDecision = { ok: true; access: AccessProof } | { ok: false; message: string };

/**
 * Who may subscribe a workspace to a repo (DESIGN.md §4): anyone for a public repo; for a private or unknown
 * one only a verified user whose read access the GitHub App confirms, by their numeric GitHub id. Where that can't
 * be checked: refuse.
 */
export function createRepoAccessPolicy(options: { repos: RepoAccessClient; users: UserStore; command: string }) {
  const { repos, users } = options;
  return {
    /**
     * Anyone may follow an account that exists; its subscription posts the account's public repositories. Made by a
     * verified user (and with GitHub App credentials to check), it records their GitHub id as its proof: then a private
     * repository of the account is posted too, where GitHub says that user can read it (checked per repository).
     */
    async checkAccount(input: {
      workspaceId: string;
      slackUserId: string;
      owner: string;
    }): Promise<RepoAccessDecision> {
      try {
        if (!(await repos.accountExists(input.owner)))
          return { ok: false, message: `GitHub has no user or organization called \`${input.owner}\`.` };
      } catch (err) {
        if (err instanceof GitHubApiError)
          return {
            ok: false,
            message: `I couldn't check \`${input.owner}\` with GitHub (${err.message}). Nothing changed; please try again in a minute.`,
          };
        throw err;
      }
      const user = await users.get(input.workspaceId, input.slackUserId);
      if (repos.collaboratorAccess === null || !user?.verified || user.githubUserId === null)
        return { ok: true, access: { kind: 'public' } };
      return { ok: true, access: { kind: 'github_user', githubUserId: user.githubUserId } };
    },

    async check(input: { workspaceId: string; slackUserId: string; repo: RepoName }): Promise<RepoAccessDecision> {
      const { repo } = input;
      const name = `\`${repo.fullName}\``;
      try {
        const visibility = await repos.visibility({ owner: repo.owner, name: repo.name });
        if (visibility === 'public') return { ok: true, access: { kind: 'public' } };
        if (repos.collaboratorAccess === null) {
          return {
            ok: false,
            message: `${name} is private or doesn't exist. This app has no GitHub App credentials to check who can see private repositories, so it can't subscribe to them. (Operators: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.)`,
          };
        }
        const user = await users.get(input.workspaceId, input.slackUserId);
        if (!user?.verified || user.githubUserId === null) {
          return {
            ok: false,
            message: `${name} is private or doesn't exist. To subscribe to a private repository, first link your GitHub account with \`${options.command} link\`, so I can check that you have access.`,
          };
        }
        const access = await repos.collaboratorAccess({
          owner: repo.owner,
          name: repo.name,
          githubUserId: user.githubUserId,
        });
        if (access.kind === 'granted')
          return { ok: true, access: { kind: 'github_user', githubUserId: user.githubUserId } };
        if (access.kind === 'app_not_installed') {
          return {
            ok: false,
            message: `${name} doesn't exist, or the GitHub App isn't installed on it, so I can't confirm your access. Check the name, or ask an owner of the repository to install the App.`,
          };
        }
        // The login GitHub gives the linked id today (it may have been renamed since the link).
        const login = access.login ?? user.githubLogin;
        const account = login === null ? 'your GitHub account' : `@${login}`;
        return {
          ok: false,
          message: `GitHub says ${account} has no access to ${name} (checked for GitHub id ${user.githubUserId}, the account linked to you), so I can't subscribe this workspace to it.`,
        };
      } catch (err) {
        if (err instanceof GitHubApiError) {
          return {
            ok: false,
            message: `I couldn't check ${name} with GitHub (${err.message}). Nothing changed; please try again in a minute.`,
          };
        }
        throw err;
      }
    },
  };
}

export type RepoAccessPolicy = ReturnType<typeof createRepoAccessPolicy>;
