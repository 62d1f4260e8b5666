import { describe, expect, it } from 'vitest';
import { isLocalMode, SLACK_VARIABLES } from '../../dev/local/local-mode-choice.js';

describe('which server npm start runs', () => {
  it('runs local mode only with no Slack variable at all and NODE_ENV not production', () => {
    expect(isLocalMode({})).toBe(true);
    expect(isLocalMode({ NODE_ENV: 'development', GITHUB_WEBHOOK_SECRET: 'x', PORT: '4000' })).toBe(true);
    expect(isLocalMode({ SLACK_CLIENT_ID: '  ' })).toBe(true);
    expect(isLocalMode({ NODE_ENV: 'production' })).toBe(false);
    for (const name of SLACK_VARIABLES) expect(isLocalMode({ [name]: 'set' }), name).toBe(false);
    // Pointing at a Slack of one's own is not "no Slack"; the command's name alone is (local mode follows it).
    expect(isLocalMode({ SLACK_API_URL: 'https://slack.example/api/' })).toBe(false);
    expect(isLocalMode({ SLACK_COMMAND: '/prs' })).toBe(true);
  });
});
