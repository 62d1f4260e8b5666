import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { parseCommand } from '../../src/slack/commands/parse-command.js';
import type { TestApp } from '../support/test-app.js';
import { ask, startSlackSide } from './slack-test-kit.js';

const TEAM = 'TMULTIREPO';

describe('/notify subscribe and unsubscribe with several repos in one command', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  const say = (text: string) => ask(t, { workspaceId: TEAM, userId: 'UALICE', text, channelId: 'CTEAM' });
  const routes = async (repo: string) =>
    (await t.deps.store.subscriptions.get(TEAM, repo))?.routes.map((r) => [r.channelId, r.filters.includeLabels]) ?? [];

  beforeAll(async () => {
    // Without GitHub App credentials: public repos can be subscribed, private ones are refused.
    ({ t, gh, close } = await startSlackSide({ withGitHubApp: false }));
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [
        { id: 'CTEAM', name: 'team', isPrivate: false, botIsMember: true },
        { id: 'CREL', name: 'releases', isPrivate: false, botIsMember: true },
      ],
    });
    gh.addRepo({ fullName: 'octo/open', private: false });
    gh.addRepo({ fullName: 'octo/secret', private: true });
    gh.addRepo({ fullName: 'octo/docs', private: false });
  });
  afterAll(() => close());

  it('subscribes the public repo and refuses the private one with the reason, in one answer', async () => {
    const reply = await say('subscribe octo/open octo/secret');
    const lines = reply.split('\n');
    expect(lines[0]).toBe('2 repositories:');
    expect(lines[1]).toContain('Subscribed: `octo/open` now posts in <#CTEAM>');
    expect(lines[2]).toContain("`octo/secret` is private or doesn't exist. This app has no GitHub App credentials");
    expect(await routes('octo/open')).toEqual([['CTEAM', []]]);
    expect(await t.deps.store.subscriptions.get(TEAM, 'octo/secret')).toBeNull();
    const list = await say('list');
    expect(list).toContain('`octo/open`');
    expect(list).not.toContain('octo/secret');
  });

  it('a refused repo first in the list does not block the ones after it; channel and filters apply to each', async () => {
    const reply = await say('subscribe octo/secret octo/docs https://github.com/octo/open #releases +label:release');
    const lines = reply.split('\n');
    expect(lines[0]).toBe('3 repositories:');
    expect(lines[1]).toContain('`octo/secret` is private');
    expect(lines[2]).toContain('`octo/docs` now posts in <#CREL> (only pull requests matching `+label:release`)');
    expect(lines[3]).toContain('`octo/open` now also posts in <#CREL> (only pull requests matching `+label:release`)');
    expect(await routes('octo/docs')).toEqual([['CREL', ['release']]]);
    expect(await routes('octo/open')).toEqual([
      ['CTEAM', []],
      ['CREL', ['release']],
    ]);
  });

  it('unsubscribes several repos, each with its own outcome; a repo named twice counts once', async () => {
    const reply = await say('unsubscribe octo/docs octo/open OCTO/docs octo/never #releases');
    const lines = reply.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('3 repositories:');
    expect(lines[1]).toContain('Unsubscribed: `octo/docs` no longer posts in this workspace');
    expect(lines[2]).toContain(
      'Unsubscribed: `octo/open` no longer posts in <#CREL>; its other channels keep their PRs',
    );
    expect(lines[3]).toContain("`octo/never` doesn't post in <#CREL>: nothing was changed");
    expect(await t.deps.store.subscriptions.get(TEAM, 'octo/docs')).toBeNull();
    expect(await routes('octo/open')).toEqual([['CTEAM', []]]);
    expect(await say('unsubscribe octo/open octo/docs')).toMatch(
      /^2 repositories:\n• Unsubscribed: `octo\/open` no longer posts in this workspace.*\n• This workspace wasn't subscribed to `octo\/docs`/,
    );
    expect(await t.deps.store.subscriptions.listForWorkspace(TEAM)).toEqual([]);
  });

  it('a bad repo is answered naming it, and nothing is changed', async () => {
    expect(await say('subscribe octo/open bad//name octo/docs')).toContain('`bad//name` is not a repository');
    expect(await say('subscribe octo/open octo/docs +lable:x')).toContain("I didn't understand `+lable:x`");
    expect(await say('subscribe octo/open octo/docs wip')).toContain("I didn't understand `wip`");
    expect(await t.deps.store.subscriptions.listForWorkspace(TEAM)).toEqual([]);
  });

  it('more than 20 repos are refused with the usage, and nothing is changed', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `octo/r${i}`).join(' ');
    const reply = await say(`subscribe ${many}`);
    expect(reply).toContain('Name at most 20 repositories in one command (you named 21).');
    expect(reply).toContain(
      'several repos at once: `/notify subscribe owner/a owner/b [#channel] [filters]` (the same for `unsubscribe`), up to 20',
    );
    expect(await t.deps.store.subscriptions.listForWorkspace(TEAM)).toEqual([]);
  });

  it('a repo that fails after others were done gets its own line; the others stay done and are said so', async () => {
    /** Slack answers the first call of `method`, then fails the second (the second repo's). */
    const failSecondCall = (method: string) =>
      t.slack.hook({
        method,
        at: 'answer',
        run: () => {
          t.slack.failNext({ method, error: 'internal_error' });
          return 'continue';
        },
      });
    const notDone =
      '• `octo/docs`: not done, because Slack or GitHub did not answer as expected. Please try it again in a minute.';

    failSecondCall('conversations.info');
    const lines = (await say('subscribe octo/open octo/docs')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Subscribed: `octo/open` now posts in <#CTEAM>');
    expect(lines[2]).toBe(notDone);
    expect(await routes('octo/open')).toEqual([['CTEAM', []]]);
    expect(await t.deps.store.subscriptions.get(TEAM, 'octo/docs')).toBeNull();

    await say('subscribe octo/docs');
    failSecondCall('conversations.list');
    const after = (await say('unsubscribe octo/open octo/docs #team')).split('\n');
    expect(after).toHaveLength(3);
    expect(after[1]).toContain('Unsubscribed: `octo/open`');
    expect(after[2]).toBe(notDone);
    expect(await routes('octo/open')).toEqual([]);
    expect(await routes('octo/docs')).toEqual([['CTEAM', []]]);
    await say('unsubscribe octo/docs');
  });
});

describe('parsing several repos', () => {
  it('keeps them in order, once each, and leaves filter to one repo', () => {
    expect(parseCommand('subscribe a/x b/y a/X <#C123|one> -label:wip', '/notify')).toMatchObject({
      kind: 'subscribe',
      repos: [{ fullName: 'a/x' }, { fullName: 'b/y' }],
      channel: { id: 'C123' },
      filters: { excludeLabels: ['wip'] },
    });
    const twenty = Array.from({ length: 20 }, (_, i) => `o/r${i}`).join(' ');
    expect(parseCommand(`unsubscribe ${twenty} o/r0`, '/notify')).toMatchObject({ kind: 'unsubscribe' });
    expect(parseCommand('filter a/x b/y +label:z', '/notify').kind).toBe('usage_error');
  });
});
