import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { eventually } from '../support/eventually.js';
import { homeActionPayload, slackEventEnvelope } from '../support/slack-signing.js';
import type { TestApp } from '../support/test-app.js';
import { ask, linkGitHub, startSlackSide } from './slack-test-kit.js';

const TEAM = 'THOME';
const USER = 'UHOMER';

/** The App Home tab over real signed Events API and block_actions requests, published to the fake Slack's views.publish. */
describe('App Home', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const status = () => ask(t, { workspaceId: TEAM, userId: USER, text: 'status', channelId: 'CTEAM' });
  const publishes = () => t.slack.callsTo('views.publish').filter((c) => c.args['user_id'] === USER).length;
  /** The Home tab's text as the person sees it: every section and context text, in order. */
  const homeText = () =>
    JSON.stringify(t.slack.homeView(TEAM, USER)?.['blocks'] ?? [])
      .match(/"text":"((?:[^"\\]|\\.)*)"/g)
      ?.join('\n') ?? '';

  /** Sends what Slack sends and waits until the app published the Home tab again. */
  async function send(body: Record<string, unknown>): Promise<void> {
    const before = publishes();
    const res = await t.postSlackEvent(body);
    expect(res.status).toBe(200);
    await eventually(() => expect(publishes()).toBeGreaterThan(before));
  }
  const open = () => send(slackEventEnvelope({ workspaceId: TEAM, event: homeOpened(USER) }));
  const press = (action: Record<string, unknown> & { type: string; action_id: string }) =>
    send(homeActionPayload({ workspaceId: TEAM, userId: USER, action }));

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [
        { id: 'CTEAM', name: 'team', isPrivate: false, botIsMember: true },
        { id: 'CSECRET', name: 'secret', isPrivate: true, botIsMember: false },
      ],
    });
    gh.addRepo({ fullName: 'octo/app', private: false });
  });
  afterAll(() => close());

  it('opening the tab shows the link, the default channel picker, the choices and the subscriptions', async () => {
    await ask(t, { workspaceId: TEAM, userId: USER, text: 'subscribe octo/app +label:ui', channelId: 'CTEAM' });
    await open();
    const text = homeText();
    expect(text).toContain('*GitHub account:* not linked');
    expect(text).toContain('Link GitHub');
    expect(text).toContain('*Announce PRs you open:* on');
    expect(text).toContain('*Review requests:* how you hear that someone asked for your review');
    expect(text).toContain('*News about your PRs:* on');
    expect(text).toContain('• `octo/app` → <#CTEAM> (`+label:ui`)');
    const blocks = JSON.stringify(t.slack.homeView(TEAM, USER));
    expect(blocks).toContain('"action_id":"home_default_channel"');
    expect(blocks).not.toContain('initial_conversation');
    expect(blocks).toContain('"action_id":"home_review_requests"');
    expect(blocks).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"In the PR\'s thread"},"value":"thread"}',
    );
    expect(blocks).toContain('"action_id":"home_author_news"');
  });

  it('Link GitHub answers with the one-time link, and once linked the tab shows the account', async () => {
    await press({ type: 'button', action_id: 'home_link' });
    expect(homeText()).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/link\?state=[^|]+\|Connect your GitHub account>/);
    await linkGitHub(t, gh, { workspaceId: TEAM, userId: USER, github: { id: 9001, login: 'homer-gh' } });
    await open();
    expect(homeText()).toContain('*GitHub account:* @homer-gh (verified, GitHub id 9001)');
    expect(await status()).toContain('@homer-gh (verified');
  });

  it('the buttons and the picker change what /notify status shows', async () => {
    await press({ type: 'conversations_select', action_id: 'home_default_channel', selected_conversation: 'CTEAM' });
    expect(homeText()).toContain('Your default channel is now <#CTEAM>');
    expect(JSON.stringify(t.slack.homeView(TEAM, USER))).toContain('"initial_conversation":"CTEAM"');
    expect(await status()).toContain('*Your default channel:* <#CTEAM>');

    await press({ type: 'button', action_id: 'home_notifications', value: 'off' });
    expect(homeText()).toContain('*Announce PRs you open:* off');
    expect(await status()).toContain('*Notifications for PRs you open:* off');

    await press({ type: 'button', action_id: 'home_unlink' });
    expect(homeText()).toContain('*GitHub account:* not linked');
    expect(await status()).toContain('*GitHub account:* not linked');
  });

  it('the review-requests picker and the news button change what /notify status shows', async () => {
    await press({
      type: 'static_select',
      action_id: 'home_review_requests',
      selected_option: { text: { type: 'plain_text', text: 'Direct message' }, value: 'dm' },
    });
    expect(homeText()).toContain('you get a direct message');
    expect(JSON.stringify(t.slack.homeView(TEAM, USER))).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Direct message"},"value":"dm"}',
    );
    expect(await status()).toContain('*Review requests:* a direct message');

    await press({
      type: 'static_select',
      action_id: 'home_review_requests',
      selected_option: { text: { type: 'plain_text', text: 'Off' }, value: 'off' },
    });
    expect(homeText()).toContain('Review requests are off');
    expect(await status()).toContain('*Review requests:* off');

    await press({ type: 'button', action_id: 'home_author_news', value: 'off' });
    expect(homeText()).toContain('*News about your PRs:* off');
    expect(await status()).toContain('*News about your PRs (approved, changes requested, merged):* off');
    await press({ type: 'button', action_id: 'home_author_news', value: 'on' });
    expect(homeText()).toContain('*News about your PRs:* on');
    expect(await t.deps.store.users.get(TEAM, USER)).toMatchObject({ reviewRequests: 'off', authorNews: true });
  });

  it('a review-requests value the tab never offered changes nothing', async () => {
    const before = publishes();
    const res = await t.postSlackEvent(
      homeActionPayload({
        workspaceId: TEAM,
        userId: USER,
        action: { type: 'static_select', action_id: 'home_review_requests', selected_option: { value: 'email' } },
      }),
    );
    expect(res.status).toBe(200);
    // A later Home tab opening shows the choice as it was, and no publish answered the bad value.
    await open();
    expect(publishes()).toBe(before + 1);
    expect(await status()).toContain('*Review requests:* off');
  });

  it('a channel the bot cannot post in is refused with the reason, and nothing changes', async () => {
    await press({ type: 'conversations_select', action_id: 'home_default_channel', selected_conversation: 'CSECRET' });
    expect(homeText()).toContain('invite');
    expect(await status()).toContain('*Your default channel:* <#CTEAM>');
  });

  it('the Messages tab and a workspace without the app publish nothing', async () => {
    const before = t.slack.callsTo('views.publish').length;
    const messagesTab = slackEventEnvelope({ workspaceId: TEAM, event: { ...homeOpened(USER), tab: 'messages' } });
    expect((await t.postSlackEvent(messagesTab)).status).toBe(200);
    const stranger = slackEventEnvelope({ workspaceId: 'TNOTINSTALLED', event: homeOpened('USTRANGER') });
    expect((await t.postSlackEvent(stranger)).status).toBe(200);
    // A later publish for the installed workspace proves the two above were handled (and published nothing).
    await open();
    expect(t.slack.callsTo('views.publish').map((c) => c.args['user_id'])).toEqual([
      ...t.slack
        .callsTo('views.publish')
        .slice(0, before)
        .map((c) => c.args['user_id']),
      USER,
    ]);
  });
});

function homeOpened(user: string): Record<string, unknown> & { type: string } {
  return { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' };
}
