import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PrState } from '../../src/pipeline/core/pr-state.js';
import { prStateFixture } from '../support/pr-state-fixture.js';
import { BLOCKS_MAX, MESSAGE_MAX, renderDigest } from '../../src/digest/render-digest.js';
import { SECTION_TEXT_MAX as SECTION_MAX } from '../../src/shared/mrkdwn.js';
import { stuckPrs } from '../../src/digest/stuck-prs.js';

const NOW = new Date('2026-01-19T08:30:00Z');

function pr(o: { repo: string; number: number; waitedHours: number; title?: string; reviewers?: number }): PrState {
  const at = new Date(NOW.getTime() - o.waitedHours * 3_600_000).toISOString();
  return prStateFixture({
    repoFullName: o.repo,
    number: o.number,
    title: o.title ?? `Change ${o.number}`,
    url: `https://github.com/${o.repo}/pull/${o.number}`,
    authorLogin: 'octo-author',
    authorId: 5001,
    headRef: `topic-${o.number}`,
    prUpdatedAt: at,
    requestedReviewers: Array.from({ length: o.reviewers ?? 1 }, (_, i) => ({ id: 100 + i, login: `reviewer-${i}` })),
    reviewActivityAt: at,
  });
}

const sectionTexts = (parts: ReturnType<typeof renderDigest>) => parts.map((p) => p.blocks.map((b) => b.text.text));

describe('renderDigest', () => {
  it('folds hundreds of PRs into sections and messages within Slack’s limits, none left out, order kept', () => {
    // 600 PRs over 60 repos, titles long and full of characters that need escaping.
    const prs = Array.from({ length: 600 }, (_, i) =>
      pr({
        repo: `acme/repo-${i % 60}`,
        number: i + 1,
        waitedHours: 30 + i,
        title: `<Fix> & "escape" ${'x'.repeat(120)} ${i}`,
        reviewers: 1 + (i % 14),
      }),
    );
    const stuck = stuckPrs(prs, { thresholdHours: 24, now: NOW });
    expect(stuck).toHaveLength(600);
    const parts = renderDigest({ stuck, mentions: new Map([[100, 'ULINKED']]), thresholdHours: 24, now: NOW });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of sectionTexts(parts)) {
      expect(part.length).toBeLessThanOrEqual(BLOCKS_MAX);
      for (const text of part) expect(text.length).toBeLessThanOrEqual(SECTION_MAX);
      expect(part.join('').length).toBeLessThanOrEqual(MESSAGE_MAX);
    }
    const all = sectionTexts(parts).flat().join('\n');
    const listed = [...all.matchAll(/\|#(\d+) /g)].map((m) => Number(m[1]));
    // Every PR once, grouped by repo in the order of each repo's oldest PR, oldest first within it.
    expect([...listed].sort((x, y) => x - y)).toEqual(prs.map((p) => p.number));
    // PR n waited 29 + n hours: repo 59's oldest is the oldest of all, and so on down to repo 0.
    const expected = Array.from({ length: 60 }, (_, r) => 59 - r).flatMap((r) =>
      Array.from({ length: 10 }, (_, k) => 60 * (9 - k) + r + 1),
    );
    expect(listed).toEqual(expected);
    // Titles are escaped: nothing a title says can become a link or a mention.
    expect(all).not.toContain('<Fix>');
    expect(all).toContain('&lt;Fix&gt; &amp; "escape"');
    // More than ten people waited on: named up to ten, the rest counted.
    expect(all).toContain('and 3 more');
    expect(all).toContain('<@ULINKED>');
    // The first part says the list goes on in the thread; the others say which part they are.
    expect(sectionTexts(parts)[0]![0]).toContain(`The list goes on in the thread (${parts.length} parts)`);
    expect(sectionTexts(parts)[1]![0]).toContain(`continued (2/${parts.length})`);
    // A repo cut between sections names itself again.
    expect(all).toMatch(/\*acme\/repo-\d+\* \(continued\)/);
  });

  it('keeps a PR with an absurdly long title on one line that fits a section', () => {
    const stuck = stuckPrs([pr({ repo: 'acme/api', number: 1, waitedHours: 48, title: '&'.repeat(5_000) })], {
      thresholdHours: 24,
      now: NOW,
    });
    const [part, ...rest] = renderDigest({ stuck, mentions: new Map(), thresholdHours: 24, now: NOW });
    expect(rest).toHaveLength(0);
    for (const block of part!.blocks) expect(block.text.text.length).toBeLessThanOrEqual(SECTION_MAX);
    expect(part!.blocks.map((b) => b.text.text).join('\n')).toContain('|#1 &amp;');
  });

  it('fits a PR waiting on teams with very long names into a section, naming each team, and always ends', async () => {
    // In a child process, so that a renderer that never ends fails this test (killed) instead of hanging the run.
    const script = `
      import { renderDigest } from './src/digest/render-digest.ts';
      import { stuckPrs } from './src/digest/stuck-prs.ts';
      const now = new Date('2026-01-19T08:30:00Z');
      const at = '2026-01-15T08:30:00Z';
      const teams = (n, name) => Array.from({ length: n }, (_, i) => ({ org: 'acme', slug: 't' + i, name: name + i }));
      const pr = (number, requestedTeams) => ({
        repoFullName: 'acme/api', repoPrivate: false, number, title: 'Change ' + number + ' ' + 'y'.repeat(300),
        url: 'https://github.com/acme/api/pull/' + number, authorLogin: 'octo', authorId: 1, authorIsBot: false,
        labels: [], baseRef: 'main', headRef: 'topic', draft: false, state: 'open', merged: false, prUpdatedAt: at,
        size: null, sizeUpdatedAt: null, announced: true, wasReady: true, reviewers: {}, visibilityAt: at,
        requestedReviewers: [], requestedTeams, reviewActivityAt: at, activity: [],
      });
      const prs = [pr(1, teams(1, '&'.repeat(1000))), pr(2, teams(10, 'z'.repeat(1000)))];
      const parts = renderDigest({ stuck: stuckPrs(prs, { thresholdHours: 24, now }), mentions: new Map(), thresholdHours: 24, now });
      console.log(JSON.stringify(parts.flatMap((p) => p.blocks.map((b) => b.text.text))));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 20_000 },
    );
    const texts = JSON.parse(stdout) as string[];
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(SECTION_MAX);
    const all = texts.join('\n');
    expect(all).toContain('|#1 Change 1');
    expect(all).toContain('|#2 Change 2');
    expect(all).toMatch(/waits on team (&amp;)+…/);
    for (let i = 0; i < 10; i += 1) expect(all).toContain(`team zzz`);
  }, 30_000);
});
