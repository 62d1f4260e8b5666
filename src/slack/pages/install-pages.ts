import { renderHtmlPage, slackLinks } from './html-page.js';

export interface PageResult {
  status: number;
  html: string;
}

export function renderInstallSuccess(input: { teamId: string | null; teamName: string | null }): PageResult {
  const where = input.teamName ? `in ${input.teamName}` : 'in your workspace';
  return {
    status: 200,
    html: renderHtmlPage({
      tone: 'success',
      title: `PR Notifier is installed ${where}`,
      paragraphs: [
        'Next, in Slack: run /notify link to connect your GitHub account, /notify channel #channel to choose where your pull requests are announced, and /notify subscribe owner/repo in a channel to follow a repository there.',
        '/notify help lists every command.',
      ],
      links: slackLinks(input.teamId),
    }),
  };
}

/** Bolt's installer error codes (plus our state reasons) turned into what happened and what to do next. */
export function renderInstallFailure(input: { code: string; reason?: string; detail?: string }): PageResult {
  const retry = { href: '/slack/install', text: 'Start the installation again' };
  const page = (status: number, title: string, paragraphs: string[]): PageResult => ({
    status,
    html: renderHtmlPage({ tone: 'failure', title, paragraphs, links: [retry] }),
  });
  switch (input.code) {
    case 'slack_oauth_installer_authorization_error':
      return page(400, 'Installation cancelled', ['You did not allow PR Notifier to be installed, so nothing was installed.']);
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_state': {
      const why =
        input.reason === 'expired' ? 'This installation link has expired (links are valid for 15 minutes).'
        : input.reason === 'used' ? 'This installation link was already used: each link works once.'
        : 'This installation link is not valid for this browser, or was not issued by this app.';
      return page(400, 'This installation link no longer works', [why, 'Nothing was installed. Start again from the button below.']);
    }
    case 'slack_oauth_missing_code':
      return page(400, 'Slack did not complete the installation', ['The page was opened without the code Slack sends after you approve the app.']);
    default:
      return page(502, 'Slack could not complete the installation', [
        `Slack answered: ${input.detail ?? 'an unexpected error'}. Nothing was installed. Please try again; if it keeps failing, contact the people who run this app.`,
      ]);
  }
}
