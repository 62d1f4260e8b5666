import { USED_EVENTS } from '../github/to-pr-event.js';
import { GITHUB_CALLBACK_PATH } from '../slack/link/link-routes.js';

export const SETUP_PATH = '/github/app-setup';
export const SETUP_COMPLETE_PATH = '/github/app-setup/complete';
export const WEBHOOK_PATH = '/github/webhooks';

/** GitHub App manifest fields, as GitHub's "Registering a GitHub App from a manifest" documents them. */
export interface AppManifest {
  name: string;
  url: string;
  description: string;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  callback_urls: string[];
  public: boolean;
  default_permissions: Record<string, 'read' | 'write'>;
  default_events: string[];
}

/**
 * What this app needs from GitHub: pull requests and their reviews, read-only. `installation` is not listed:
 * GitHub sends it to every App and refuses manual subscription to it.
 */
export function buildAppManifest(options: { baseUrl: string; name: string }): AppManifest {
  const { baseUrl, name } = options;
  return {
    name,
    url: baseUrl,
    description: 'Posts pull requests to Slack channels and keeps one message per pull request up to date.',
    hook_attributes: { url: `${baseUrl}${WEBHOOK_PATH}`, active: true },
    redirect_url: `${baseUrl}${SETUP_COMPLETE_PATH}`,
    callback_urls: [`${baseUrl}${GITHUB_CALLBACK_PATH}`],
    public: false,
    // members: read lets a team review request mention the team's linked members.
    default_permissions: { pull_requests: 'read', metadata: 'read', members: 'read' },
    default_events: [...USED_EVENTS],
  };
}

/** Where the manifest form posts: the personal account's App settings, or an organization's. */
export function newAppUrl(options: { githubUrl: string; org: string | null; state: string }): string {
  const path =
    options.org === null ? '/settings/apps/new' : `/organizations/${encodeURIComponent(options.org)}/settings/apps/new`;
  return `${options.githubUrl}${path}?state=${encodeURIComponent(options.state)}`;
}
