import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirestorePrStateStore } from '../../src/store/pipeline/pr-state-store.js';
import { ask } from '../slack/slack-test-kit.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ago, channel, HOUR, prNumbers, subscribe, textOf } from './support/digest-world.js';

const TEAM = 'TDIGMANY';
const REPOS = 45; // more than Firestore's 30 values of an `in` query
const PER_REPO = 8;

/**
 * Hundreds of stuck PRs: the digest is folded into a message and replies in its thread, each within Slack's limits
 * (the fake Slack refuses what Slack would), and lists every PR once, oldest first.
 */
describe('a digest of hundreds of PRs', () => {
  let t: TestApp;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestApp();
    await t.installWorkspace({ workspaceId: TEAM, channels: [channel('CGENERAL'), channel('CBIG')] });
    for (let r = 0; r < REPOS; r++)
      await subscribe(t, { workspaceId: TEAM, repoFullName: `acme/repo-${r}`, channelId: 'CBIG', at: now });
    // The states are folded by the store the pipeline uses (deliveries would also post hundreds of PR messages).
    const states = createFirestorePrStateStore(t.deps.db);
    const events = Array.from({ length: REPOS * PER_REPO }, (_, i) => {
      const repo = `acme/repo-${i % REPOS}`;
      const number = i + 1;
      return {
        kind: 'pull_request' as const,
        action: 'opened' as const,
        pr: {
          repoFullName: repo,
          repoPrivate: false,
          number,
          title: `A change with a fairly long title to fill the sections faster, number ${number}`,
          url: `https://github.com/${repo}/pull/${number}`,
          authorLogin: 'octo-author',
          authorId: 5001,
          labels: [],
          baseRef: 'main',
          headRef: `topic-${number}`,
          draft: false,
          state: 'open' as const,
          updatedAt: ago(now, (25 + i) * HOUR),
          requestedReviewers: [{ id: 7000 + (i % 5), login: `reviewer-${i % 5}` }],
          requestedTeams: [],
        },
      };
    });
    for (let i = 0; i < events.length; i += 40) await Promise.all(events.slice(i, i + 40).map((e) => states.fold(e)));
  }, 120_000);
  afterAll(() => t?.close());

  it('posts every PR once, the rest of the list in the thread', async () => {
    const reply = await ask(t, { workspaceId: TEAM, userId: 'UASKER', text: 'digest <#CBIG|cbig> now' });
    const total = REPOS * PER_REPO;
    expect(reply).toContain(`Posted the digest in <#CBIG>: ${total} pull requests waiting more than 24h`);
    const parents = t.slack.messages(TEAM, 'CBIG');
    expect(parents).toHaveLength(1);
    const replies = t.slack.repliesOf(TEAM, 'CBIG', parents[0]!.ts);
    expect(replies.length).toBeGreaterThan(0);
    expect(reply).toContain(`(${replies.length + 1} messages, the rest in the thread)`);
    const listed = [parents[0]!, ...replies].flatMap((m) => prNumbers(textOf(m)));
    expect(listed).toHaveLength(total);
    expect(new Set(listed).size).toBe(total);
    // PR n waited 24 + n hours: the newest number is the oldest PR, and its repo comes first.
    expect(listed[0]).toBe(total);
  }, 60_000);
});
