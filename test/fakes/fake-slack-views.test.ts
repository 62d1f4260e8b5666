import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { createQuietClient, slackError } from './fake-slack-test-kit.js';

let slack: FakeSlack;
let client: WebClient;
const token = 'xoxb-views';
const section = (i: number) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `line ${i}` } });

beforeAll(async () => {
  slack = await startFakeSlack();
  client = createQuietClient(slack);
  slack.addWorkspace({ workspaceId: 'TVIEWS', botToken: token, users: [{ id: 'UVIEWER', name: 'viewer' }] });
});
afterAll(async () => slack?.close());

describe('fake Slack views.publish, held to Slack’s rules for a Home tab', () => {
  it('keeps the latest Home view of each user', async () => {
    await client.views.publish({ token, user_id: 'UVIEWER', view: { type: 'home', blocks: [section(1)] } });
    await client.views.publish({ token, user_id: 'UVIEWER', view: { type: 'home', blocks: [section(2)] } });
    expect(slack.homeView('TVIEWS', 'UVIEWER')?.['blocks']).toEqual([section(2)]);
  });

  it('refuses an unknown user, a view that is not a Home tab, and more than 100 blocks', async () => {
    const home = { type: 'home' as const, blocks: [section(1)] };
    expect(await slackError(client.views.publish({ token, user_id: 'UNOBODY', view: home }))).toBe('user_not_found');
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x' }, blocks: [section(1)] };
    expect(await slackError(client.views.publish({ token, user_id: 'UVIEWER', view: modal }))).toBe(
      'invalid_arguments',
    );
    const tooMany = { type: 'home' as const, blocks: Array.from({ length: 101 }, (_, i) => section(i)) };
    expect(await slackError(client.views.publish({ token, user_id: 'UVIEWER', view: tooMany }))).toBe('invalid_blocks');
    const hundred = { type: 'home' as const, blocks: Array.from({ length: 100 }, (_, i) => section(i)) };
    await client.views.publish({ token, user_id: 'UVIEWER', view: hundred });
    expect(slack.homeView('TVIEWS', 'UVIEWER')?.['blocks']).toHaveLength(100);
  });
});
