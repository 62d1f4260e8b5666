import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { PageResult } from '../pages/install-pages.js';
import { createResultCookie } from '../pages/result-cookie.js';
import { renderLinkOutcome, renderNoLinkResult } from './link-pages.js';
import type { LinkOutcome } from './link-service.js';

export const LINKED_PATH = '/link/linked';

type Linked = Extract<LinkOutcome, { kind: 'linked' }>;

/**
 * The end of a successful identity link: GitHub's callback redirects to LINKED_PATH, which names the workspace, the
 * Slack user and the GitHub account for as long as the browser keeps the result (an hour), reloads included.
 */
export function createLinkResult(options: { command: string; secureCookies: boolean }) {
  const cookie = createResultCookie({ name: 'pr_notifier_linked', path: LINKED_PATH, secure: options.secureCookies });
  return {
    redirect(res: ServerResponse, linked: Linked): void {
      cookie.redirect(res, {
        workspaceId: linked.workspaceId,
        slackUserId: linked.slackUserId,
        login: linked.login,
        githubUserId: String(linked.githubUserId),
        ...(linked.teamName !== null ? { teamName: linked.teamName } : {}),
        ...(linked.slackUserName !== null ? { slackUserName: linked.slackUserName } : {}),
      });
    },
    page(req: Request): PageResult {
      const linked = toLinked(cookie.read(req));
      return linked === null ? renderNoLinkResult(options.command) : renderLinkOutcome(linked, options.command);
    },
  };
}

function toLinked(facts: Record<string, string> | null): Linked | null {
  if (facts === null) return null;
  const { workspaceId, slackUserId, login, githubUserId } = facts;
  if (!workspaceId || !slackUserId || !login || !githubUserId || !/^\d{1,15}$/.test(githubUserId)) return null;
  return {
    kind: 'linked',
    workspaceId,
    slackUserId,
    login,
    githubUserId: Number(githubUserId),
    teamName: facts['teamName'] ?? null,
    slackUserName: facts['slackUserName'] ?? null,
  };
}

export type LinkResult = ReturnType<typeof createLinkResult>;
