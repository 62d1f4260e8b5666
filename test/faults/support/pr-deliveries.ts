import { prPayload } from '../../../dev/local/pr-payloads.js';

/** GitHub's deliveries for one PR's life, with `updated_at` in order: opened, then merged. */
export const opened = (repo: string, pr: number) => ({
  event: 'pull_request',
  payload: prPayload({ action: 'opened', repo, number: pr, title: `Change ${pr}`, updatedAt: at(0) }),
});

export const merged = (repo: string, pr: number) => ({
  event: 'pull_request',
  payload: prPayload({
    action: 'closed',
    repo,
    number: pr,
    title: `Change ${pr}`,
    state: 'closed',
    merged: true,
    updatedAt: at(60),
  }),
});

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, seconds)).toISOString();
