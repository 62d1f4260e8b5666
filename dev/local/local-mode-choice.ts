/**
 * The Slack variables whose absence (every one of them) means "no Slack app configured": local mode. Any of them set
 * means a real Slack was meant, and a missing credential is then the configuration error, not local mode silently
 * putting its own Slack in place (its URLs included). SLACK_COMMAND is not among them: local mode follows it.
 */
export const SLACK_VARIABLES = [
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_SIGNING_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'SLACK_AUTHORIZE_URL',
  'SLACK_OIDC_AUTHORIZE_URL',
] as const;

/**
 * `npm start` runs local mode when no Slack variable is set at all and NODE_ENV is not `production` (the Dockerfile
 * sets it, so a deployment missing its configuration still fails with the configuration error).
 */
export function isLocalMode(env: Record<string, string | undefined>): boolean {
  if (env['NODE_ENV'] === 'production') return false;
  return SLACK_VARIABLES.every((name) => (env[name] ?? '').trim() === '');
}
