import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import { AUTHOR, prPayload } from '../../dev/local/pr-payloads.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import type { TestApp } from '../support/test-app.js';
import { ask, linkGitHub, startSlackSide } from './slack-test-kit.js';

const TEAM = 'TACCOUNT';
const OTHER_TEAM = 'TACCOTHER';

/**
 * `/notify subscribe octo-org`: every public repository of an account, over real HTTP (signed slash commands and
 * deliveries) against the Firestore emulator and the fake Slack and GitHub.
 */
describe('/notify subscribe for a whole GitHub account', () => {
  let t: TestApp;
  let gh: FakeGitHub;
  let close: () => Promise<void>;
  let nextPr = 1;
  const say = (text: string, channelId = 'CALL') => ask(t, { workspaceId: TEAM, userId: 'UALICE', text, channelId });
  /** `repo#number` of each PR message in a channel, oldest first, from the tag the app gives each message. */
  const prs = (channel: string, team = TEAM) =>
    t.slack
      .messages(team, channel)
      .map((m) => `${String(m.metadata?.event_payload['repo'])}#${String(m.metadata?.event_payload['pr_number'])}`);

  /** Opens a PR and waits until every named workspace's reconcile of it finished; returns `repo#number`. */
  async function open(repo: string, o: { labels?: string[]; repoPrivate?: boolean; teams?: string[] } = {}) {
    const number = nextPr++;
    const payload = prPayload({
      action: 'opened',
      repo,
      number,
      updatedAt: '2024-01-01T00:00:00Z',
      repoPrivate: o.repoPrivate ?? false,
    }) as { pull_request: Record<string, unknown> };
    payload.pull_request['labels'] = (o.labels ?? []).map((name, i) => ({ id: i + 1, name }));
    await sendAndSettle({
      t,
      delivery: { event: 'pull_request', payload },
      prNumber: number,
      teams: o.teams ?? [TEAM],
      repo,
    });
    return `${repo}#${number}`;
  }

  beforeAll(async () => {
    ({ t, gh, close } = await startSlackSide());
    const channels = ['CALL', 'CFRONT', 'CMINE'].map((id) => ({
      id,
      name: id.slice(1).toLowerCase(),
      isPrivate: false,
      botIsMember: true,
    }));
    await t.installWorkspace({ workspaceId: TEAM, channels });
    await t.installWorkspace({ workspaceId: OTHER_TEAM, channels: [channels[0]!] });
    for (const name of ['app', 'web', 'legacy']) gh.addRepo({ fullName: `octo-org/${name}`, private: false });
    gh.addRepo({ fullName: 'octo-org/secret', private: true });
    gh.addRepo({ fullName: 'elsewhere/tool', private: false });
  });
  afterAll(() => close());

  it('follows every public repository of the account, and only that account', async () => {
    const reply = await say('subscribe octo-org');
    expect(reply).toContain(
      'Subscribed: `octo-org/*` now posts in <#CALL> the pull requests of every public repository of `octo-org`',
    );
    expect(reply).toContain('Private repositories are not included');
    expect(await say('list')).toContain('• `octo-org/*` (every public repository) → <#CALL>');
    const app = await open('octo-org/app');
    const web = await open('octo-org/web');
    await open('elsewhere/tool', { teams: [] });
    expect(prs('CALL')).toEqual([app, web]);
    // The account's mapping sits in the same index as the repos': one query finds the workspace for any of its repos.
    expect(
      (await t.deps.store.subscriptions.workspacesForRepo('octo-org/brand-new')).map((m) => m.workspaceId),
    ).toEqual([TEAM]);
    expect(prs('CALL', OTHER_TEAM)).toEqual([]);
  });

  it('a repo subscription in the same channel gives one message, and its own filters decide there', async () => {
    expect(await say('subscribe octo-org/web +label:frontend')).toContain('now posts in <#CALL>');
    const before = prs('CALL').length;
    const labelled = await open('octo-org/web', { labels: ['frontend'] });
    await open('octo-org/web', { labels: ['docs'] });
    // The account's route alone would have posted the second; the repo's route holds the channel and says no.
    expect(prs('CALL').slice(before)).toEqual([labelled]);
    expect(prs('CALL').filter((p) => p === labelled)).toHaveLength(1);
    // Another channel of the account's gets what the account's filters let through, the repo route aside.
    expect(await say('subscribe octo-org <#CFRONT|front> +label:frontend')).toContain('now also posts in <#CFRONT>');
    const both = await open('octo-org/web', { labels: ['frontend'] });
    expect(prs('CFRONT')).toEqual([both]);
    expect(prs('CALL').at(-1)).toBe(both);
  });

  it('never posts a private repository through the account, and keeps following the public ones', async () => {
    await open('octo-org/secret', { repoPrivate: true });
    expect(prs('CALL').some((p) => p?.startsWith('octo-org/secret'))).toBe(false);
    const account = await t.deps.store.subscriptions.get(TEAM, 'octo-org/*');
    expect(account?.enabled).toBe(true);
    const app = await open('octo-org/app');
    expect(prs('CALL').at(-1)).toBe(app);
  });

  it('leaving one repository out of the account: unsubscribe it, list shows it, subscribe brings it back', async () => {
    const reply = await say('unsubscribe octo-org/legacy');
    expect(reply).toContain('`octo-org/legacy` no longer posts in this workspace through `octo-org/*`');
    expect(await say('list')).toContain('`octo-org/*` (every public repository, except `octo-org/legacy`) → <#CALL>');
    const count = prs('CALL').length;
    await open('octo-org/legacy');
    expect(prs('CALL')).toHaveLength(count);
    // One channel alone can't leave a repo out of the account: the reply says what can.
    expect(await say('unsubscribe octo-org/app <#CFRONT|front>')).toContain(
      '`octo-org/app` reaches <#CFRONT> through `octo-org/*`',
    );
    await say('subscribe octo-org/legacy <#CMINE|mine>');
    const back = await open('octo-org/legacy');
    expect(prs('CMINE')).toEqual([back]);
    expect(prs('CALL').at(-1)).toBe(back);
  });

  it('auto-registration leaves a repo to the account route of the author’s default channel', async () => {
    await linkGitHub(t, gh, { workspaceId: TEAM, userId: 'UALICE', github: AUTHOR });
    await say('channel <#CALL|all>');
    const pr = await open('octo-org/app');
    expect(await t.deps.store.subscriptions.get(TEAM, 'octo-org/app')).toBeNull();
    expect(prs('CALL').at(-1)).toBe(pr);
  });

  it('unsubscribing the account stops it and leaves the repos subscribed on their own', async () => {
    // Else the author's next PR would subscribe its repo automatically, as it should without the account.
    await say('notifications off');
    expect(await say('unsubscribe octo-org')).toContain(
      'Unsubscribed: `octo-org/*` no longer posts in this workspace. Repositories subscribed on their own keep posting.',
    );
    const count = prs('CALL').length;
    // No workspace follows octo-org/app any more: fan-out finds none.
    await open('octo-org/app', { teams: [] });
    expect(await t.deps.store.subscriptions.workspacesForRepo('octo-org/app')).toEqual([]);
    expect(prs('CALL')).toHaveLength(count);
    const web = await open('octo-org/web', { labels: ['frontend'] });
    expect(prs('CALL').at(-1)).toBe(web);
  });

  it('an account GitHub does not know is refused, naming it, and nothing is subscribed', async () => {
    expect(await say('subscribe no-such-org')).toContain('GitHub has no user or organization called `no-such-org`');
    expect(await t.deps.store.subscriptions.get(TEAM, 'no-such-org/*')).toBeNull();
    // Repos first: a bare word after them is a filter typo, not an account.
    expect(await say('subscribe octo-org/app wip')).toContain("I didn't understand `wip`");
  });
});
