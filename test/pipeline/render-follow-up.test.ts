import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../../dev/fakes/fake-slack-blocks.js';
import type { GithubTeam } from '../../src/pipeline/core/pr-event.js';
import type { PrState } from '../../src/pipeline/core/pr-state.js';
import {
  plainName,
  renderReviewRequestDm,
  renderThreadReply,
  type TeamNames,
} from '../../src/pipeline/core/render-follow-up.js';
import type { RenderedMessage } from '../../src/pipeline/core/render-message.js';
import { prStateFixture } from '../support/pr-state-fixture.js';

const pr = (title: string): PrState =>
  prStateFixture({ repoFullName: 'acme/api', number: 7, title, url: 'https://github.com/acme/api/pull/7' });
const team = (name: string, i = 0): GithubTeam => ({ org: 'acme', slug: `t${i}`, name });
const at = '2026-01-19T08:30:00Z';

/** What Slack would do with the message: accept its blocks, and take its text through URL encoding. */
function expectSlackTakes(message: RenderedMessage): string {
  expect(validateBlocks(message.blocks)).toMatchObject({ ok: true });
  expect(() => encodeURIComponent(message.text)).not.toThrow();
  const block = message.blocks[0];
  return block?.type === 'section' ? block.text.text : '';
}

describe('follow-ups stay within what Slack accepts, whatever GitHub sends', () => {
  it('a team review request mentions as many of 250 linked members as fit and counts the others', () => {
    const members = Array.from({ length: 250 }, (_, i) => `<@U${String(i).padStart(9, '0')}>`);
    const teams = (t: GithubTeam): TeamNames => ({ team: t, members });
    const entry = { id: 'rr-1', at, kind: 'review_requested' as const, target: { team: team('platform') } };
    const text = expectSlackTakes(renderThreadReply({ entry, nameOf: plainName, teams }));
    const shown = text.match(/<@U\d{9}>/g) ?? [];
    expect(shown.length).toBeGreaterThan(100);
    expect(text).toContain(`and ${250 - shown.length} more)`);
  });

  it('ready for review again, waiting on 15 teams with long names', () => {
    const many = Array.from({ length: 15 }, (_, i) => team(`${'z'.repeat(200)}${i}`, i));
    const entry = { id: 'rfr-1', at, kind: 'ready_for_review' as const, reviewers: [], teams: many };
    const text = expectSlackTakes(
      renderThreadReply({ entry, nameOf: plainName, teams: (t) => ({ team: t, members: [] }) }),
    );
    expect(text.match(/team \*z+…\*/g)).toHaveLength(15);
  });

  it('a team name of 700 "&" and a title cut inside an emoji, in the thread and in the DM', () => {
    const entry = { id: 'rr-2', at, kind: 'review_requested' as const, target: { team: team('&'.repeat(700)) } };
    expectSlackTakes(renderThreadReply({ entry, nameOf: plainName, teams: (t) => ({ team: t, members: [] }) }));
    const dm = expectSlackTakes(renderReviewRequestDm({ entry, pr: pr(`${'x'.repeat(199)}😀 more`), permalink: null }));
    expect(dm).toContain(`acme/api#7 ${'x'.repeat(199)}…`);
  });
});
