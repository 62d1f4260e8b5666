import { renderHtmlPage, slackLinks } from '../pages/html-page.js';
import type { PageResult } from '../pages/install-pages.js';
import type { LinkOutcome } from './link-service.js';

/** The page a person sees at the end of `/notify link`: what happened and what to do next. */
export function renderLinkOutcome(outcome: LinkOutcome): PageResult {
  const again = 'Run /notify link in Slack to get a new link.';
  switch (outcome.kind) {
    case 'linked':
      return page(200, 'success', `GitHub account @${outcome.login} is linked`, [
        'Your Slack account is now verified as this GitHub user. Pull requests you open will mention you, and you can subscribe channels to private repositories you can read.',
        'You can close this page and go back to Slack.',
      ], outcome.teamId);
    case 'state_refused': {
      const why =
        outcome.reason === 'expired' ? 'This link has expired: links from /notify link are valid for 15 minutes.'
        : outcome.reason === 'used' ? 'This link was already used: each link from /notify link works once.'
        : 'This link was not issued by PR Notifier, or it was changed.';
      return page(400, 'failure', 'This link no longer works', [why, 'Nothing was linked.', again], null);
    }
    case 'missing_parameters':
      return page(400, 'failure', 'This page needs a link from Slack', ['Open it through the link /notify link gives you in Slack.'], null);
    case 'denied':
      return page(400, 'failure', 'GitHub access was not granted', ['You cancelled on GitHub, so nothing was linked.', again], outcome.teamId);
    case 'github_error':
      return page(502, 'failure', 'GitHub could not confirm your account', [`GitHub answered: ${outcome.detail}`, 'Nothing was linked.', again], outcome.teamId);
  }
}

function page(status: number, tone: 'success' | 'failure', title: string, paragraphs: string[], teamId: string | null): PageResult {
  return { status, html: renderHtmlPage({ tone, title, paragraphs, links: slackLinks(teamId) }) };
}
