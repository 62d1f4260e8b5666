import type { InstallFailure } from '../oauth/install-failure.js';
import { renderHtmlPage, slackLinks } from './html-page.js';

export interface PageResult {
  status: number;
  html: string;
}

export function renderInstallSuccess(input: {
  workspaceId: string | null;
  teamName: string | null;
  command: string;
}): PageResult {
  const { command } = input;
  const where = input.teamName ? `in ${input.teamName}` : 'in your workspace';
  return {
    status: 200,
    html: renderHtmlPage({
      tone: 'success',
      title: `PR Notifier is installed ${where}`,
      paragraphs: [
        `Next, in Slack: run ${command} link to connect your GitHub account, ${command} channel #channel to choose where your pull requests are announced, and ${command} subscribe owner/repo in a channel to follow a repository there.`,
        `${command} help lists every command.`,
      ],
      links: slackLinks(input.workspaceId),
    }),
  };
}

/** The result page without a result: opened directly, in another browser, or more than an hour later. */
export function renderNoInstallResult(command: string): PageResult {
  return {
    status: 404,
    html: renderHtmlPage({
      tone: 'neutral',
      title: 'No installation to show',
      paragraphs: [
        'This page shows the result of an installation, in the browser that made it, for an hour.',
        `To check that PR Notifier is installed in a workspace, run ${command} help in Slack. To install it, use the button below.`,
      ],
      links: [{ href: '/slack/install', text: 'Add to Slack' }],
    }),
  };
}

/** What happened and what to do next; the status says whose fault it was (4xx the visitor's, 5xx ours or Slack's). */
export function renderInstallFailure(failure: InstallFailure): PageResult {
  const retry = { href: '/slack/install', text: 'Start the installation again' };
  const page = (status: number, title: string, paragraphs: string[]): PageResult => ({
    status,
    html: renderHtmlPage({ tone: 'failure', title, paragraphs, links: [retry] }),
  });
  const nothing = 'Nothing was installed. Start again from the button below.';
  switch (failure.kind) {
    case 'cancelled':
      return page(400, 'Installation cancelled', [
        'You did not allow PR Notifier to be installed, so nothing was installed.',
      ]);
    case 'state_refused':
      return page(400, 'This installation link no longer works', [STATE_REFUSED[failure.reason], nothing]);
    case 'missing_code':
      return page(400, 'Slack did not complete the installation', [
        'The page was opened without the code Slack sends after you approve the app.',
        nothing,
      ]);
    case 'code_refused':
      return page(400, 'Slack did not accept this installation link', [
        `Slack answered ${failure.slackError}: the code in this link is not valid, or was already used.`,
        nothing,
      ]);
    case 'misconfigured':
      return page(500, 'PR Notifier is not set up correctly', [
        `Slack refused this app's own credentials (${failure.slackError}). Nothing was installed. Please tell the people who run this app.`,
      ]);
    case 'slack_failed':
      return page(502, 'Slack could not complete the installation', [
        `Slack answered: ${failure.detail}. Nothing was installed. Please try again; if it keeps failing, contact the people who run this app.`,
      ]);
    case 'internal':
      return page(500, 'The installation could not be finished', [
        'Something went wrong on our side. Nothing was installed. Please try again in a minute; if it keeps failing, contact the people who run this app.',
      ]);
  }
}

const STATE_REFUSED: Record<Extract<InstallFailure, { kind: 'state_refused' }>['reason'], string> = {
  expired: 'This installation link has expired (links are valid for 15 minutes).',
  used: 'This installation link was already used: each link works once.',
  other_browser:
    'This installation link is not valid for this browser: finish the installation in the browser where you started it.',
  forged: 'This installation link was not issued by this app, or it was changed.',
};
