import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { renderUsage } from '../../src/slack/commands/usage-text.js';
import { parseCommand } from '../../src/slack/commands/parse-command.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import type { TestApp } from '../support/test-app.js';
import { ask, startSlackSide } from './slack-test-kit.js';

const TEAM = 'TROUTECMD';
const REPO = 'octo/mono';

describe('/notify routes: several channels per repo, each with its filters', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const say = (text: string, channelId = 'CFRONT') => ask(t, { workspaceId: TEAM, userId: 'UALICE', text, channelId });
  const routes = async () =>
    (await t.deps.store.subscriptions.get(TEAM, REPO))?.routes.map((r) => [r.channelId, r.filters]) ?? [];

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [
        { id: 'CFRONT', name: 'frontend', isPrivate: false, botIsMember: true },
        { id: 'CBACK', name: 'backend', isPrivate: false, botIsMember: true },
      ],
    });
    gh.addRepo({ fullName: REPO, private: false });
  });
  afterAll(() => close());

  it('subscribe with filters adds a route per channel; list and status show each channel with its filters', async () => {
    expect(await say('subscribe octo/mono +label:frontend -label:"work in progress"')).toContain(
      'now posts in <#CFRONT> (only pull requests matching `+label:frontend -label:"work in progress"`)',
    );
    expect(await say('subscribe octo/mono <#CBACK|backend> +label:backend +label:"api, v2" bots:on')).toContain(
      'now also posts in <#CBACK> (only pull requests matching `+label:backend +label:"api, v2" bots:on`)',
    );
    const list = await say('list');
    expect(list).toContain(
      '`octo/mono` → <#CFRONT> (`+label:frontend -label:"work in progress"`), <#CBACK> (`+label:backend +label:"api, v2" bots:on`)',
    );
    expect(await say('status')).toContain('<#CBACK> (`+label:backend +label:"api, v2" bots:on`)');
    // The index still has one entry for the workspace.
    expect(await t.deps.store.subscriptions.workspacesForRepo(REPO)).toHaveLength(1);
  });

  it('posts each PR only where its filters match, as set by the commands', async () => {
    const deliver = async (number: number, labels: string[]) => {
      const payload = prPayload({ action: 'opened', repo: REPO, number, updatedAt: '2024-01-01T00:00:00Z' }) as {
        pull_request: Record<string, unknown>;
      };
      payload.pull_request['labels'] = labels.map((name, i) => ({ id: i + 1, name }));
      await sendAndSettle({
        t,
        delivery: { event: 'pull_request', payload },
        prNumber: number,
        teams: [TEAM],
        repo: REPO,
      });
    };
    await deliver(1, ['Frontend']);
    await deliver(2, ['API, v2']);
    await deliver(3, ['frontend', 'work in progress']);
    const numbers = (channel: string) => t.slack.messages(TEAM, channel).map((m) => /#(\d+)/.exec(m.text)?.[1]);
    expect(numbers('CFRONT')).toEqual(['1']);
    expect(numbers('CBACK')).toEqual(['2']);
  });

  it('filter replaces one channel’s filters, `none` clears them, and a channel without the repo is refused', async () => {
    expect(await say('filter octo/mono #backend base:release/** author:alice')).toContain(
      'Filters set: <#CBACK> now gets the pull requests matching `base:release/** author:alice` of `octo/mono`',
    );
    expect(await say('filter octo/mono none')).toContain('<#CFRONT> now gets its pull requests of `octo/mono`');
    const [front, back] = await routes();
    expect(front?.[1]).toMatchObject({ includeLabels: [], excludeLabels: [] });
    expect(back?.[1]).toMatchObject({ bases: ['release/**'], authors: ['alice'], includeLabels: [], bots: false });
    expect(await say('filter octo/other +label:x')).toContain("`octo/other` doesn't post in <#CFRONT>");
    const audit = await t.deps.store.audit.listForWorkspace(TEAM);
    expect(audit.filter((e) => e.action === 'subscription.filter').map((e) => e.details?.['channel_id'])).toEqual([
      'CFRONT',
      'CBACK',
    ]);
  });

  it('a typo gets an ephemeral answer naming the bad token, and changes nothing', async () => {
    const before = await routes();
    const reply = await say('filter octo/mono +lable:wip');
    expect(reply).toContain("I didn't understand `+lable:wip`: expected `+label:`");
    expect(await say('subscribe octo/mono <#CBACK|backend> drafts:maybe')).toContain(
      "I didn't understand `drafts:maybe`: expected `drafts:on` or `drafts:off`",
    );
    expect(await say('subscribe octo/mono +label:"needs review')).toContain('expected a closing quote');
    expect(await routes()).toEqual(before);
  });

  it('unsubscribe #channel removes only that channel; unsubscribe removes every channel', async () => {
    expect(await say('unsubscribe octo/mono #backend')).toContain(
      'no longer posts in <#CBACK>; its other channels keep their PRs',
    );
    expect((await routes()).map(([channel]) => channel)).toEqual(['CFRONT']);
    expect(await say('unsubscribe octo/mono #backend')).toContain("doesn't post in <#CBACK>: nothing was changed");
    await say('subscribe octo/mono #backend');
    expect(await say('unsubscribe octo/mono')).toContain('no longer posts in this workspace');
    expect(await t.deps.store.subscriptions.get(TEAM, REPO)).toBeNull();
  });
});

describe('the route commands’ texts', () => {
  it('name the configured command and parse filter and unsubscribe forms', () => {
    const usage = renderUsage('/prs');
    expect(usage).toContain('`/prs filter owner/repo [#channel] filters`');
    expect(usage).toContain('`/prs unsubscribe owner/repo [#channel]`');
    expect(usage).not.toContain('/notify');
    const bad = parseCommand('filter octo/x', '/prs');
    expect(bad.kind === 'usage_error' && bad.message).toContain('`/prs filter owner/repo [#channel] filters`');
    expect(parseCommand('unsubscribe octo/x <#C123|one>', '/notify')).toMatchObject({
      kind: 'unsubscribe',
      channel: { id: 'C123' },
    });
    expect(parseCommand('subscribe octo/x #one +label:a&amp;b', '/notify')).toMatchObject({
      kind: 'subscribe',
      channel: { id: null, name: 'one' },
      filters: { includeLabels: ['a&b'] },
    });
  });
});
