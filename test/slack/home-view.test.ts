import { describe, expect, it } from 'vitest';
import { newSubscription } from '../../src/domain/routes.js';
import { renderHomeView } from '../../src/slack/home/home-view.js';

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
