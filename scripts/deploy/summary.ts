import type { DeployOptions } from './options.js';
import type { SecretState } from './secrets.js';

/** What the operator pastes into the Slack app and the GitHub side, and what is still to do. */
export function renderSummary(options: {
  deploy: DeployOptions;
  url: string;
  secrets: SecretState[];
  costNote: string;
}): string {
  const { deploy, url, secrets, costNote } = options;
  const missing = secrets.filter((s) => s.status === 'missing');
  const githubAppSet = secrets.some(
    (s) => s.name === 'GITHUB_APP_ID' && (s.status === 'exists' || s.status === 'created'),
  );
  const lines = [
    '',
    `Service: ${url}  (${deploy.service}, ${deploy.region}; CPU always on, one instance kept warm: ${costNote})`,
    '',
    'Slack app (api.slack.com/apps → your app):',
    `  OAuth & Permissions → Redirect URLs:  ${url}/slack/oauth_redirect`,
    `                                        ${url}/slack/oidc/callback   (Sign in with Slack, for /notify link)`,
    `  Event Subscriptions → Request URL:    ${url}/slack/events`,
    `  Slash Commands → Request URL:         ${url}/slack/events`,
    `  Install into a workspace:             ${url}/slack/install`,
    '',
    'GitHub:',
    `  Webhook URL:            ${url}/github/webhooks   (content type application/json)`,
    `  OAuth callback URL:     ${url}/github/oauth/callback`,
  ];
  if (!githubAppSet) {
    lines.push(
      `  GitHub App setup page:  ${url}/github/app-setup   (served while no GitHub App is configured)`,
      '  Its one-time setup token is in the service log:',
      `    gcloud logging read 'resource.type="cloud_run_revision" AND resource.labels.service_name="${deploy.service}" AND "GitHub App setup"' --project=${deploy.project} --freshness=1h --limit=1`,
    );
  }
  if (missing.length > 0) {
    lines.push(
      '',
      `Still missing (the service runs with random stand-ins for them, so nothing can be signed with them yet):`,
    );
    for (const s of missing) lines.push(`  ${s.name}: ${s.spec.howToGet(url)}`);
    lines.push(
      '',
      'Give them to this command in the environment (or store them yourself with `printf %s VALUE | gcloud secrets create NAME --data-file=-`), then run it again:',
      `  npm run deploy -- --project ${deploy.project} --region ${deploy.region}${deploy.service === 'pr-notifier' ? '' : ` --service ${deploy.service}`}`,
    );
  }
  return lines.join('\n');
}
