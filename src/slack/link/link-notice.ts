import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.js';
import { escapeMrkdwn } from '../../shared/mrkdwn.js';
import type { WorkspaceTokens } from '../../security/workspace-tokens.js';

export interface LinkNotifier {
  /** Tells the Slack user, by DM, that a GitHub account was linked to them: a link they did not make shows at once. */
  linked(input: { workspaceId: string; slackUserId: string; login: string; suspendedRepos: string[] }): Promise<void>;
}

/** The DM's text: what was linked, and the command that undoes it. Pure. */
export function renderLinkedNotice(input: { login: string; suspendedRepos: string[]; command: string }): string {
  const linked = `GitHub account *@${escapeMrkdwn(input.login)}* is now linked to you: pull requests it opens mention you, and it proves your access to private repositories. Not you? Run \`${input.command} unlink\`.`;
  if (input.suspendedRepos.length === 0) return linked;
  const repos = input.suspendedRepos.map((r) => `*${escapeMrkdwn(r)}*`).join(', ');
  return `${linked}\nYour previous GitHub account was the proof of access for ${repos}: they stopped posting here. Run \`${input.command} subscribe owner/repo #channel\` again to check your new account's access and resume them.`;
}

/**
 * Best effort, through the one WebClient with the workspace's bot token: the link is already stored and shown on the
 * page, so a Slack failure here is logged and dropped rather than undoing it.
 */
export function createLinkNotifier(options: {
  slack: WebClient;
  tokens: WorkspaceTokens;
  command: string;
  log: Logger;
}): LinkNotifier {
  const { slack, tokens, command, log } = options;
  return {
    async linked({ workspaceId, slackUserId, login, suspendedRepos }) {
      try {
        const token = await tokens.botToken(workspaceId);
        if (token === null) return;
        const text = renderLinkedNotice({ login, suspendedRepos, command });
        await slack.chat.postMessage({ token, channel: slackUserId, text, unfurl_links: false });
      } catch (err) {
        log.warn(
          { team_id: workspaceId, problem: err instanceof Error ? err.message : String(err) },
          'could not DM the linked user',
        );
      }
    },
  };
}
