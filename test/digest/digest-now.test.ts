import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHOR } from '../../dev/local/pr-payloads.js';
import { NO_FILTERS } from '../../src/domain/route-filters.js';
import { ask } from '../slack/slack-test-kit.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ago, channel, createDeliverer, DAY, digestsIn, HOUR, prNumbers } from './support/digest-world.js';

const TEAM = 'TDIGEST';
const OTHER_TEAM = 'TDIGOTHER';
const LINKED = { login: 'rev-linked', id: 7001 };
const PLAIN = { login: 'rev-plain', id: 7002 };

/**
 * `/notify digest #channel now` over real signed requests: PR states made by signed GitHub deliveries, the fake
 * Slack, the emulator. The channel gets only what it would get as messages.
 */
describe('/notify digest … now', () => {
  let t: TestApp;
  const now = new Date();
  const say = (text: string, workspaceId = TEAM) => ask(t, { workspaceId, userId: 'UASKER', text });

  beforeAll(async () => {
    t = await createTestApp();
    await t.installWorkspace({
      workspaceId: TEAM,
      channels: [
        channel('CGENERAL'),
        channel('CDIGEST'),
        channel('COTHER'),
        channel('CQUIET'),
        { id: 'CPRIV', name: 'priv', isPrivate: true, botIsMember: false },
      ],
    });
    await t.installWorkspace({ workspaceId: OTHER_TEAM, channels: [channel('CGENERAL'), channel('CDIGEST')] });
    const at = new Date();
    const subscribe = (repoFullName: string, channelId: string, extra = {}) =>
      t.deps.store.subscriptions.subscribe({
        workspaceId: TEAM,
        repoFullName,
        channelId,
        actor: 'USETUP',
        at,
        ...extra,
      });
    await subscribe('acme/api', 'CDIGEST');
    await subscribe('acme/web', 'CDIGEST', { filters: { ...NO_FILTERS, excludeLabels: ['wip'] } });
    await subscribe('acme/other', 'COTHER');
    // A private repo proved by a verified user: its PRs are posted here, so the digest shows them.
    await subscribe('acme/private', 'CDIGEST', { access: { kind: 'github_user', githubUserId: LINKED.id } });
    // A whole account, proved only by the public check: its private repos are never posted, nor listed.
    await subscribe('globex/*', 'CDIGEST');
    await t.deps.store.users.linkGithub({
      workspaceId: TEAM,
      slackUserId: 'ULINKED',
      githubUserId: LINKED.id,
      githubLogin: LINKED.login,
      at,
    });

    const gh = createDeliverer(t);
    const opened = (repo: string, number: number, waited: number, extra = {}) =>
      gh.pr({ action: 'opened', repo, number, title: `PR ${number}`, updatedAt: ago(now, waited), ...extra });
    await opened('acme/api', 1, 5 * DAY, {
      requestedReviewers: [LINKED, PLAIN],
      requestedTeams: [{ slug: 'core', name: 'Core Team' }],
    });
    await opened('acme/api', 2, 3 * DAY);
    await opened('acme/api', 3, 1 * HOUR); // not waiting long enough
    await opened('acme/api', 4, 4 * DAY, { draft: true }); // a draft
    await opened('acme/api', 5, 6 * DAY);
    await gh.pr({ action: 'closed', repo: 'acme/api', number: 5, state: 'closed', updatedAt: ago(now, 5 * DAY) });
    await opened('acme/web', 10, 4 * DAY, { labels: ['wip'] }); // filtered out of this channel
    await opened('acme/web', 11, 6 * DAY);
    await gh.review({
      action: 'submitted',
      state: 'changes_requested',
      reviewer: PLAIN,
      reviewId: 9011,
      submittedAt: ago(now, 2 * DAY),
      prUpdatedAt: ago(now, 2 * DAY),
      repo: 'acme/web',
      number: 11,
    });
    await opened('acme/other', 20, 5 * DAY); // another channel's repo
    await opened('globex/site', 30, 7 * DAY);
    await opened('globex/secret', 31, 8 * DAY, { repoPrivate: true });
    await opened('acme/private', 40, 2.5 * DAY, { repoPrivate: true });

    await gh.folded('acme/api', 5, (s) => s.state === 'closed');
    await gh.folded('acme/web', 11, (s) => s.reviewActivityAt === ago(now, 2 * DAY));
    for (const [repo, number] of [
      ['acme/api', 1],
      ['acme/api', 2],
      ['acme/api', 3],
      ['acme/api', 4],
      ['acme/web', 10],
      ['acme/other', 20],
      ['globex/site', 30],
      ['globex/secret', 31],
      ['acme/private', 40],
    ] as const)
      await gh.folded(repo, number, () => true);
  }, 60_000);
  afterAll(() => t?.close());

  it('posts the stuck PRs of the channel’s routes, oldest first, grouped by repo, with whom they wait on', async () => {
    const reply = await say('digest <#CDIGEST|cdigest> now');
    expect(reply).toContain('Posted the digest in <#CDIGEST>: 5 pull requests waiting more than 24h');
    const [digest, ...more] = digestsIn(t, TEAM, 'CDIGEST');
    expect(more).toHaveLength(0);
    const text = digest!.text;
    // Drafts, closed, too recent, filtered, other channels' and unproven private PRs are left out.
    expect(prNumbers(text)).toEqual([30, 1, 2, 40, 11]);
    const repos = [...text.matchAll(/^\*([a-z/]+)\* \(\d+\)$/gm)].map((m) => m[1]);
    expect(repos).toEqual(['globex/site', 'acme/api', 'acme/private', 'acme/web']);
    expect(text).toContain('5 pull requests waiting more than 24h for review, oldest first');
    const line = (n: number) => text.split('\n').find((l) => l.includes(`|#${n} `)) ?? '';
    expect(line(1)).toContain('waiting 5d · waits on <@ULINKED>, rev-plain, team Core Team');
    expect(line(1)).toContain('<https://github.com/acme/api/pull/1|#1 PR 1>');
    expect(line(2)).toContain('waiting 3d · no reviewer requested');
    expect(line(11)).toContain(`waiting 2d · waits on the author ${AUTHOR.login} (changes requested)`);
    expect(line(40)).toContain('waiting 2d 12h');
    expect(text).not.toContain('secret');
    const audit = await t.deps.store.audit.listForWorkspace(TEAM);
    expect(audit.find((a) => a.action === 'digest.now')).toMatchObject({ actor: 'UASKER', target: 'CDIGEST' });
  });

  it('uses the channel’s own threshold, set with the digest', async () => {
    const set = await say('digest <#CDIGEST|cdigest> 09:30 Europe/Berlin weekdays after:4d');
    expect(set).toContain(
      'The digest of <#CDIGEST> is on: weekdays at 09:30 (Europe/Berlin), pull requests waiting more than 4d',
    );
    expect(await say('digest <#CDIGEST|cdigest>')).toContain('weekdays at 09:30 (Europe/Berlin)');
    await say('digest <#CDIGEST|cdigest> now');
    const digests = digestsIn(t, TEAM, 'CDIGEST');
    expect(prNumbers(digests[digests.length - 1]!.text)).toEqual([30, 1]);
  });

  it('posts nothing where nothing waits, and says so', async () => {
    expect(await say('digest <#CQUIET|cquiet> now')).toContain('Nothing in <#CQUIET> has waited more than 24h');
    expect(digestsIn(t, TEAM, 'CQUIET')).toHaveLength(0);
  });

  it('never shows another workspace’s PRs', async () => {
    expect(await say('digest <#CDIGEST|cdigest> now', OTHER_TEAM)).toContain('Nothing in <#CDIGEST>');
    expect(digestsIn(t, OTHER_TEAM, 'CDIGEST')).toHaveLength(0);
  });

  it('checks the channel as subscribe does: a private channel needs the app invited first', async () => {
    const reply = await say('digest <#CPRIV|priv> 09:30 Europe/Berlin');
    expect(reply).toContain("is private and I'm not in it");
    expect(await say('digest <#CPRIV|priv> now')).toContain("is private and I'm not in it");
    expect((await t.deps.store.audit.listForWorkspace(TEAM)).filter((a) => a.target === 'CPRIV')).toEqual([]);
  });

  it('answers an unknown zone with the usage, and changes nothing', async () => {
    const reply = await say('digest <#CQUIET|cquiet> 09:30 Mars/Olympus');
    expect(reply).toContain('`Mars/Olympus` is not a time zone I know');
    expect(reply).toContain('/notify digest #channel HH:MM Area/City');
    expect(await say('digest <#CQUIET|cquiet>')).toContain('has no digest turned on');
  });
});
