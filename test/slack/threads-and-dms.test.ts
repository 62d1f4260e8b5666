import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prPayload, reviewPayload, reviewRequestPayload } from '../../dev/local/pr-payloads.js';
import { eventually } from '../support/eventually.js';
import { startSlackSide } from './slack-test-kit.js';
import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { TestApp } from '../support/test-app.js';

/*
 * Issue 15 over real HTTP: signed GitHub deliveries (GitHub's example payloads) in, the fake Slack's channels, threads
 * and DMs out, choices made with the real `/notify` commands.
 */

const REPO = 'octo-org/hello-world';
const ALICE = { login: 'alice', id: 9101 };
const BOB = { login: 'bob', id: 9102 };
const CAROL = { login: 'carol-unlinked', id: 9103 };
const AUTHOR = { login: 'octo-author', id: 5001 };

let t: TestApp;
let gh: FakeGitHub;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ t, gh, close } = await startSlackSide());
  gh.addOrg({ login: 'octo-org', appInstallationId: 771 });
  gh.addTeam({ org: 'octo-org', slug: 'web', name: 'Web', members: [ALICE, BOB] });
});
afterAll(async () => close?.());

let clock = 0;
// Recent times: news older than a day is not sent by DM.
const origin = Date.now() - 10 * 60_000;
const at = () => new Date(origin + (clock += 1) * 1000).toISOString();

/** A workspace with #prs subscribed to the repo, and linked people (Slack user id → GitHub person). */
async function workspace(id: string, people: Record<string, { login: string; id: number }>) {
  const channelId = `C${id}PRS`;
  const { botToken } = await t.installWorkspace({
    workspaceId: id,
    channels: [{ id: channelId, name: `prs-${id.toLowerCase()}`, isPrivate: false, botIsMember: true }],
  });
  t.slack.addWorkspace({
    workspaceId: id,
    botToken,
    users: Object.keys(people).map((userId) => ({ id: userId, name: userId.toLowerCase() })),
  });
  for (const [slackUserId, person] of Object.entries(people))
    await t.deps.store.users.linkGithub({
      workspaceId: id,
      slackUserId,
      githubUserId: person.id,
      githubLogin: person.login,
      at: new Date(),
    });
  await t.deps.store.subscriptions.subscribe({
    workspaceId: id,
    repoFullName: REPO,
    channelId,
    actor: Object.keys(people)[0] ?? 'USETUP',
    at: new Date(),
  });
  const command = (userId: string, text: string) =>
    t.slashCommand({ workspaceId: id, userId, text, channelId }).then((r) => String(r.replies[0]?.['text'] ?? ''));
  const parent = (number: number) => t.slack.messages(id, channelId).find((m) => m.text.includes(`#${number}`)) ?? null;
  const replies = (number: number) => {
    const ts = parent(number)?.ts;
    return ts ? t.slack.repliesOf(id, channelId, ts).map((m) => m.text) : [];
  };
  const dms = (userId: string) => t.slack.dmsTo(id, userId).map((m) => m.text);
  return { id, channelId, command, parent, replies, dms };
}

const deliver = async (event: string, payload: unknown) => {
  const res = await t.sendDelivery({ event, payload });
  expect(res.status).toBeLessThan(300);
};
const opened = (number: number, o: { draft?: boolean } = {}) =>
  deliver('pull_request', prPayload({ action: 'opened', number, updatedAt: at(), ...o }));
const requestReview = (
  number: number,
  target: { reviewer: typeof ALICE } | { team: { slug: string; name: string } },
  o: { draft?: boolean } = {},
) => deliver('pull_request', reviewRequestPayload({ number, updatedAt: at(), ...target, ...o }));
const review = (number: number, state: 'approved' | 'changes_requested', reviewer: typeof ALICE, body?: string) =>
  deliver(
    'pull_request_review',
    reviewPayload({
      action: 'submitted',
      state,
      number,
      reviewer,
      reviewId: number * 100 + (clock += 1),
      submittedAt: at(),
      prUpdatedAt: at(),
      ...(body ? { body } : {}),
    }),
  );
const merged = (number: number) =>
  deliver(
    'pull_request',
    prPayload({ action: 'closed', number, state: 'closed', merged: true, updatedAt: at(), sender: BOB }),
  );

describe('threads, review requests and the author’s news', () => {
  it('the same PR life: with threads on, replies under the message; with threads off, only the message', async () => {
    const on = await workspace('TTHON', { UAUTH1: AUTHOR, UALICE1: ALICE });
    const off = await workspace('TTHOFF', { UAUTH2: AUTHOR, UALICE2: ALICE });
    expect(await off.command('UAUTH2', `settings <#${off.channelId}|prs> threads:off`)).toMatch(/off/i);

    await opened(101);
    await requestReview(101, { reviewer: ALICE });
    await review(101, 'approved', ALICE, 'Ship it!');
    await merged(101);

    await eventually(() => expect(on.replies(101)).toHaveLength(3), 20_000);
    expect(on.replies(101)).toEqual([
      ':eyes: Review requested from <@UALICE1> by *octo-author*',
      ':white_check_mark: *alice* approved\n>Ship it!',
      ':tada: Merged by *bob*',
    ]);
    await eventually(() => expect(off.parent(101)?.reactions.slice().sort()).toEqual(['tada', 'white_check_mark']));
    expect(on.parent(101)?.reactions.slice().sort()).toEqual(['tada', 'white_check_mark']);
    expect(off.replies(101)).toEqual([]);
    // Threads off: Alice's review request reached her by DM instead.
    expect(off.dms('UALICE2')).toEqual([
      expect.stringContaining('requested your review on <https://github.com/octo-org/hello-world/pull/101|'),
    ]);
    expect(on.dms('UALICE1')).toEqual([]);
    // One message per channel all along.
    expect(t.slack.messages(on.id, on.channelId).filter((m) => m.text.includes('#101'))).toHaveLength(1);
  });

  it('a review request mentions a linked reviewer, names an unlinked one, and a team’s linked members', async () => {
    const w = await workspace('TREQ', { UAUTH3: AUTHOR, UALICE3: ALICE, UBOB3: BOB });
    await opened(102);
    await requestReview(102, { reviewer: CAROL });
    await requestReview(102, { team: { slug: 'web', name: 'Web' } });
    await eventually(() => expect(w.replies(102)).toHaveLength(2), 20_000);
    expect(w.replies(102)).toEqual([
      ':eyes: Review requested from *carol-unlinked* by *octo-author*',
      ':eyes: Review requested from team *Web* (<@UALICE3>, <@UBOB3>) by *octo-author*',
    ]);
  });

  it('by choice, a DM instead of a mention in the thread; a draft’s request waits; ready again asks again', async () => {
    const w = await workspace('TCHOICE', { UAUTH4: AUTHOR, UALICE4: ALICE, UBOB4: BOB });
    expect(await w.command('UALICE4', 'reviews dm')).toMatch(/direct message|DM/i);
    await opened(103, { draft: true });
    await requestReview(103, { reviewer: ALICE }, { draft: true });
    await requestReview(103, { reviewer: BOB }, { draft: true });
    // A draft is not posted, and its review requests wait for it.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(w.parent(103)).toBeNull();
    await deliver(
      'pull_request',
      prPayload({ action: 'ready_for_review', number: 103, updatedAt: at(), requestedReviewers: [ALICE, BOB] }),
    );
    await eventually(() => expect(w.replies(103)).toHaveLength(2), 20_000);
    expect(w.replies(103)).toEqual([
      ':eyes: Review requested from *alice* by *octo-author*',
      ':eyes: Review requested from <@UBOB4> by *octo-author*',
    ]);
    await eventually(() => expect(w.dms('UALICE4')).toHaveLength(1));
    expect(w.dms('UALICE4')[0]).toContain('|Open the thread>');
    expect(w.dms('UBOB4')).toEqual([]);

    await deliver(
      'pull_request',
      prPayload({
        action: 'converted_to_draft',
        number: 103,
        draft: true,
        updatedAt: at(),
        requestedReviewers: [ALICE, BOB],
      }),
    );
    await deliver(
      'pull_request',
      prPayload({ action: 'ready_for_review', number: 103, updatedAt: at(), requestedReviewers: [ALICE, BOB] }),
    );
    await eventually(() => expect(w.replies(103)).toHaveLength(3), 20_000);
    expect(w.replies(103)[2]).toBe(':large_green_circle: Ready for review again, waiting on *alice*, <@UBOB4>');
    await eventually(() => expect(w.dms('UALICE4')).toHaveLength(2));
    expect(w.dms('UALICE4')[1]).toContain('is ready for review again and waits on you');
  });

  it('the linked author gets a DM when their PR is approved or gets changes requested, unless news is off', async () => {
    const w = await workspace('TNEWS', { UAUTH5: AUTHOR, UALICE5: ALICE });
    await opened(104);
    await review(104, 'changes_requested', ALICE, 'Needs a test');
    await eventually(() => expect(w.dms('UAUTH5')).toHaveLength(1), 20_000);
    expect(w.dms('UAUTH5')[0]).toMatch(
      /^:arrows_counterclockwise: \*alice\* requested changes on your pull request <https:\/\/github.com\/octo-org\/hello-world\/pull\/104\|/,
    );
    expect(w.dms('UAUTH5')[0]).toContain('>Needs a test');
    await review(104, 'approved', ALICE);
    await eventually(() => expect(w.dms('UAUTH5')).toHaveLength(2), 20_000);
    expect(w.dms('UAUTH5')[1]).toContain('*alice* approved your pull request');

    expect(await w.command('UAUTH5', 'news off')).toMatch(/off/i);
    await merged(104);
    await eventually(() => expect(w.replies(104).at(-1)).toBe(':tada: Merged by *bob*'), 20_000);
    expect(w.dms('UAUTH5')).toHaveLength(2);
  });
});
