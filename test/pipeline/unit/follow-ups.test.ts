import { describe, expect, it } from 'vitest';
import type { PrEvent } from '../../../src/pipeline/core/pr-event.js';
import type { ReviewRequestDelivery } from '../../../src/domain/user.js';
import { createUnitPipeline, later, prEvent, reviewEvent, snapshot, type UnitPipeline } from './unit-kit.js';

const ALICE = { id: 21, login: 'alice' };
const AUTHOR = { id: 1, login: 'octocat' };

const reviewRequested = (reviewer = ALICE): PrEvent => ({
  kind: 'pull_request',
  action: 'review_requested',
  pr: snapshot({ requestedReviewers: [reviewer], requestedTeams: [] }),
  sender: AUTHOR,
  requested: { reviewer },
});

async function link(
  p: UnitPipeline,
  who: { slackUserId: string; github: { id: number; login: string } },
  choices: { reviews?: ReviewRequestDelivery; news?: boolean } = {},
) {
  const base = { workspaceId: 'T1', slackUserId: who.slackUserId, at: p.clock.now() };
  await p.store.users.linkGithub({ ...base, githubUserId: who.github.id, githubLogin: who.github.login });
  if (choices.reviews) await p.store.users.setReviewRequests({ ...base, delivery: choices.reviews });
  if (choices.news !== undefined) await p.store.users.setAuthorNews({ ...base, enabled: choices.news });
}

const texts = (messages: Array<{ text: string }>) => messages.map((m) => m.text);

describe('follow-ups: the PR’s thread and DMs, on the in-memory ports', () => {
  it('with threads on, a review request, a review and the merge are replies under the PR message, once each', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await link(p, { slackUserId: 'UALICE', github: ALICE });
    const opened = prEvent('opened');
    const requested = reviewRequested();
    const approved = reviewEvent('approved', { reviewerId: 21 });
    const merged = { ...prEvent('closed', { state: 'closed', merged: true }), sender: { id: 22, login: 'bob' } };
    await p.settle(opened, requested, approved, merged);
    const [parent, ...others] = p.messages('T1');
    expect(others).toEqual([]);
    expect(parent?.reactions.sort()).toEqual(['tada', 'white_check_mark']);
    const replies = texts(p.slack.repliesIn('CT1', parent?.ts ?? ''));
    expect(replies).toEqual([
      ':eyes: Review requested from <@UALICE> by *octocat*',
      ':white_check_mark: *hubot* approved',
      ':tada: Merged by *bob*',
    ]);
    // Redelivered events and more runs add nothing.
    const before = p.slack.calls.length;
    await p.settle(requested, merged);
    expect(p.slack.repliesIn('CT1', parent?.ts ?? '')).toHaveLength(3);
    expect(p.slack.calls.slice(before).filter((c) => c.method === 'postMessage')).toEqual([]);
  });

  it('with threads off, nothing goes in a thread, and a review request reaches the linked reviewer by DM', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1', { threads: false });
    await link(p, { slackUserId: 'UALICE', github: ALICE });
    await p.settle(prEvent('opened'), reviewRequested(), reviewEvent('changes_requested', { reviewerId: 21 }));
    const [parent] = p.messages('T1');
    expect(p.slack.repliesIn('CT1', parent?.ts ?? '')).toEqual([]);
    expect(parent?.reactions).toEqual(['arrows_counterclockwise']);
    const dms = texts(p.slack.dmsTo('UALICE'));
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain('*octocat* requested your review on <https://github.com/octo-org/hello-world/pull/7|');
  });

  it('each reviewer’s choice: DM instead of a mention, or neither; an unlinked reviewer is named by login', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    const bob = { id: 22, login: 'bob' };
    const carol = { id: 23, login: 'carol' };
    await link(p, { slackUserId: 'UALICE', github: ALICE }, { reviews: 'dm' });
    await link(p, { slackUserId: 'UBOB', github: bob }, { reviews: 'off' });
    await p.settle(prEvent('opened'), reviewRequested(ALICE), reviewRequested(bob), reviewRequested(carol));
    const [parent] = p.messages('T1');
    expect(texts(p.slack.repliesIn('CT1', parent?.ts ?? ''))).toEqual([
      ':eyes: Review requested from *alice* by *octocat*',
      ':eyes: Review requested from *bob* by *octocat*',
      ':eyes: Review requested from *carol* by *octocat*',
    ]);
    expect(p.slack.dmsTo('UALICE')).toHaveLength(1);
    expect(p.slack.dmsTo('UALICE')[0]?.text).toContain('Open the thread');
    expect(p.slack.dmsTo('UBOB')).toEqual([]);
  });

  it('a review request on a draft waits, and the reviewer is mentioned once the PR is posted', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await link(p, { slackUserId: 'UALICE', github: ALICE });
    await p.settle(prEvent('opened', { draft: true }), {
      ...reviewRequested(),
      pr: snapshot({ draft: true, requestedReviewers: [ALICE] }),
    });
    expect(p.messages('T1')).toEqual([]);
    await p.settle(prEvent('ready_for_review', { requestedReviewers: [ALICE] }));
    const [parent] = p.messages('T1');
    expect(texts(p.slack.repliesIn('CT1', parent?.ts ?? ''))).toEqual([
      ':eyes: Review requested from <@UALICE> by *octocat*',
    ]);
    // Back to draft and ready again: the reviewers are asked again.
    await p.settle(
      prEvent('converted_to_draft', { draft: true, requestedReviewers: [ALICE] }),
      prEvent('ready_for_review', { requestedReviewers: [ALICE] }),
    );
    expect(texts(p.slack.repliesIn('CT1', parent?.ts ?? '')).at(-1)).toBe(
      ':large_green_circle: Ready for review again, waiting on <@UALICE>',
    );
  });

  it('the linked author hears of an approval, of changes requested and of the merge by DM, unless news is off', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await link(p, { slackUserId: 'UAUTHOR', github: AUTHOR });
    await p.settle(
      prEvent('opened'),
      { ...reviewEvent('approved', { id: 5, reviewerId: 21 }) },
      reviewEvent('changes_requested', { id: 6, reviewerId: 22 }),
      reviewEvent('commented', { id: 7, reviewerId: 23 }),
      { ...prEvent('closed', { state: 'closed', merged: true }), sender: { id: 22, login: 'bob' } },
    );
    const dms = texts(p.slack.dmsTo('UAUTHOR'));
    expect(dms).toHaveLength(3);
    expect(dms[0]).toMatch(/^:white_check_mark: \*hubot\* approved your pull request <https:\/\/github\.com/);
    expect(dms[0]).toContain('|Open the thread>');
    expect(dms[1]).toContain('requested changes on your pull request');
    expect(dms[2]).toContain('was merged by *bob*');

    const quiet = createUnitPipeline();
    await quiet.addWorkspace('T1');
    await link(quiet, { slackUserId: 'UAUTHOR', github: AUTHOR }, { news: false });
    await quiet.settle(prEvent('opened'), reviewEvent('approved', { reviewerId: 21 }));
    expect(quiet.slack.dmsTo('UAUTHOR')).toEqual([]);
  });

  it('a reply whose post landed but was never recorded is found in the thread, not posted twice', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened'));
    const [parent] = p.messages('T1');
    p.slack.fail({ method: 'postMessage', channel: 'CT1', code: 'internal_error', kind: 'transient', landed: true });
    await p.deliver(reviewEvent('approved', { reviewerId: 21 }));
    // Past the channel's posting slot, so the reply is sent (and lands, answered with an error).
    p.clock.advance(2_000);
    await expect(p.reconcilePending()).rejects.toThrow('internal_error');
    expect(p.slack.repliesIn('CT1', parent?.ts ?? '')).toHaveLength(1);
    await p.deliver(prEvent('edited', { title: 'Later', updatedAt: later() }));
    await p.settle();
    expect(texts(p.slack.repliesIn('CT1', parent?.ts ?? ''))).toEqual([':white_check_mark: *hubot* approved']);
    expect(p.slack.calls.some((c) => c.method === 'findTaggedMessage' && c.threadTs === parent?.ts)).toBe(true);
  });
});
