import { renderHtmlPage, slackLinks } from '../pages/html-page.js';
import type { PageResult } from '../pages/install-pages.js';
import type { LinkOutcome } from './link-service.js';

const NOTHING = 'Nothing was linked.';

/** The page a person sees at the end of the identity link: what happened and what to do next. */
export function renderLinkOutcome(outcome: LinkOutcome | { kind: 'internal_error' }, command: string): PageResult {
  const AGAIN = `Run ${command} link in Slack to get a new link.`;
  switch (outcome.kind) {
    case 'linked': {
      const who = outcome.slackUserName ? `${outcome.slackUserName} (${outcome.slackUserId})` : outcome.slackUserId;
      const where = outcome.teamName ? `${outcome.teamName} (${outcome.workspaceId})` : outcome.workspaceId;
      return page(
        200,
        'success',
        `GitHub account @${outcome.login} is linked`,
        [
          `Slack workspace: ${where}. Slack user: ${who}. GitHub account: @${outcome.login} (id ${outcome.githubUserId}).`,
          'Pull requests this GitHub account opens will mention you, and it proves your access when you subscribe a channel to a private repository. You also got a message in Slack saying so.',
          `If this was not you, run ${command} unlink in Slack.`,
        ],
        outcome.workspaceId,
      );
    }
    case 'state_refused':
      return page(
        400,
        'failure',
        'This link no longer works',
        [refusal(outcome.reason, command), NOTHING, AGAIN],
        null,
      );
    case 'missing_parameters':
      return page(
        400,
        'failure',
        'This page needs a link from Slack',
        [`Open it through the link ${command} link gives you in Slack.`],
        null,
      );
    case 'denied': {
      const where = outcome.by === 'slack' ? 'Slack' : 'GitHub';
      return page(
        400,
        'failure',
        `${where} access was not granted`,
        [`You cancelled on ${where}, so nothing was linked.`, AGAIN],
        outcome.workspaceId,
      );
    }
    case 'wrong_slack_user':
      return page(
        403,
        'failure',
        'This link is for someone else',
        [
          `You signed in to Slack as a different person (or workspace) from the one who ran ${command} link. A link can only be completed by the Slack user it was made for.`,
          NOTHING,
          `If you want to link your own GitHub account, run ${command} link yourself.`,
        ],
        outcome.workspaceId,
      );
    case 'upstream_refused':
      return page(
        400,
        'failure',
        `${name(outcome.by)} could not confirm your account`,
        [`${name(outcome.by)} answered: ${outcome.detail}.`, NOTHING, AGAIN],
        outcome.workspaceId,
      );
    case 'upstream_failed':
      return page(
        502,
        'failure',
        `${name(outcome.by)} is not answering properly`,
        [
          `${name(outcome.by)} failed: ${outcome.detail}.`,
          NOTHING,
          `Please try again in a minute: run ${command} link in Slack.`,
        ],
        outcome.workspaceId,
      );
    case 'internal_error':
      return page(
        500,
        'failure',
        'Something went wrong on our side',
        [NOTHING, `Please try again in a minute: run ${command} link in Slack.`],
        null,
      );
  }
}

/** The result page without a result: opened directly, in another browser, or more than an hour later. */
export function renderNoLinkResult(command: string): PageResult {
  return page(
    404,
    'neutral',
    'No GitHub link to show',
    [
      'This page shows the result of linking a GitHub account, in the browser that did it, for an hour.',
      `To see which GitHub account you have linked, run ${command} status in Slack. To link one, run ${command} link.`,
    ],
    null,
  );
}

function refusal(reason: 'forged' | 'expired' | 'used' | 'other_browser', command: string): string {
  switch (reason) {
    case 'expired':
      return `This link has expired: links from ${command} link are valid for 15 minutes.`;
    case 'used':
      return `This link was already used: each link from ${command} link works once.`;
    case 'other_browser':
      return 'This step was opened in a different browser from the one that started the link. Finish the whole link in one browser.';
    case 'forged':
      return 'This link was not issued by PR Notifier, or it was changed.';
  }
}

function name(by: 'slack' | 'github'): string {
  return by === 'slack' ? 'Slack' : 'GitHub';
}

function page(
  status: number,
  tone: 'success' | 'failure' | 'neutral',
  title: string,
  paragraphs: string[],
  workspaceId: string | null,
): PageResult {
  return { status, html: renderHtmlPage({ tone, title, paragraphs, links: slackLinks(workspaceId) }) };
}
