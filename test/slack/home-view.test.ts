import { describe, expect, it } from 'vitest';
import { newSubscription } from '../../src/domain/routes.js';
import { renderHomeView } from '../../src/slack/home/home-view.js';
import type { UserRecord } from '../../src/store/types.js';

describe('the Home tab with many subscriptions', () => {
  it('stays within Slack’s 100 blocks and says how many more there are instead of cutting them silently', () => {
    const subscriptions = Array.from({ length: 120 }, (_, i) =>
      newSubscription({
        workspaceId: 'T1',
        repoFullName: `octo/repo-${String(i).padStart(3, '0')}`,
        channelId: 'C1',
        createdBy: 'U1',
        at: new Date(0),
        access: { kind: 'public' },
      }),
    );
    const view = renderHomeView({ user: null, listing: { subscriptions, optedOut: [] }, command: '/notify' });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Subscriptions in this workspace (120)');
    expect(text).toContain('`octo/repo-079`');
    expect(text).not.toContain('`octo/repo-080`');
    expect(text).toContain('…and 40 more: `/notify list` shows them all.');
  });
});

describe('the Home tab’s choices', () => {
  const user = (o: Pick<UserRecord, 'reviewRequests' | 'authorNews'>): UserRecord => ({
    workspaceId: 'T1',
    slackUserId: 'U1',
    githubUserId: null,
    githubLogin: null,
    verified: false,
    defaultChannel: null,
    notificationsEnabled: true,
    updatedAt: new Date(0),
    ...o,
  });
  const render = (u: UserRecord | null) =>
    JSON.stringify(renderHomeView({ user: u, listing: { subscriptions: [], optedOut: [] }, command: '/notify' }));

  it('offers the three review-request choices with the person’s own selected, and the news button that flips it', () => {
    const dm = render(user({ reviewRequests: 'dm', authorNews: false }));
    expect(dm).toContain('"action_id":"home_review_requests"');
    for (const value of ['thread', 'dm', 'off']) expect(dm).toContain(`"value":"${value}"`);
    expect(dm).toContain('"initial_option":{"text":{"type":"plain_text","text":"Direct message"},"value":"dm"}');
    expect(dm).toContain('*News about your PRs:* off');
    expect(dm).toContain('"text":"Turn on"},"action_id":"home_author_news","value":"on"');
  });

  it('a person never seen has the defaults: the PR’s thread, news on', () => {
    const fresh = render(null);
    expect(fresh).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"In the PR\'s thread"},"value":"thread"}',
    );
    expect(fresh).toContain('*News about your PRs:* on');
    expect(fresh).toContain('"text":"Turn off"},"action_id":"home_author_news","value":"off"');
  });
});
