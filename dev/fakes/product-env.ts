import type { FakeGitHub } from './fake-github.js';
import type { FakeSlack } from './fake-slack.js';

/** The product's variables that send its Slack calls and pages to the fake Slack (CONTRACT.md §2). */
export function fakeSlackEnv(slack: Pick<FakeSlack, 'apiUrl' | 'authorizeUrl' | 'oidcAuthorizeUrl'>) {
  return {
    SLACK_API_URL: slack.apiUrl,
    SLACK_AUTHORIZE_URL: slack.authorizeUrl,
    SLACK_OIDC_AUTHORIZE_URL: slack.oidcAuthorizeUrl,
  };
}

/**
 * The product's variables that point it at the fake GitHub: its site and API always; its OAuth app (the identity
 * link) and its GitHub App (repository access checks) when asked for.
 */
export function fakeGitHubEnv(
  gitHub: Pick<FakeGitHub, 'url' | 'apiUrl' | 'clientId' | 'clientSecret' | 'appId' | 'appPrivateKey'>,
  parts: { oauth?: boolean; app?: boolean } = {},
): Record<string, string> {
  return {
    GITHUB_URL: gitHub.url,
    GITHUB_API_URL: gitHub.apiUrl,
    ...(parts.oauth ? { GITHUB_CLIENT_ID: gitHub.clientId, GITHUB_CLIENT_SECRET: gitHub.clientSecret } : {}),
    ...(parts.app ? { GITHUB_APP_ID: gitHub.appId, GITHUB_APP_PRIVATE_KEY: gitHub.appPrivateKey } : {}),
  };
}
