/** A complete, valid configuration with throw-away values; tests add or break variables from here. */
export const VALID_ENV: Record<string, string> = {
  BASE_URL: 'https://notifier.example.com',
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: 'slack-client-secret',
  SLACK_SIGNING_SECRET: 'slack-signing-secret',
  SLACK_STATE_SECRET: 'a-long-enough-state-secret',
  GITHUB_WEBHOOK_SECRET: 'webhook-secret',
  GITHUB_CLIENT_ID: 'Iv1.abc',
  GITHUB_CLIENT_SECRET: 'github-client-secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
