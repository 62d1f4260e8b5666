import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY_PART_MAX, REPLY_PARTS_MAX, replyParts } from '../../src/slack/commands/reply-parts.js';
import type { TestApp } from '../support/test-app.js';
import { startSlackSide } from './slack-test-kit.js';

describe('a reply too long for one Slack message', () => {
  it('goes on in the next messages, split between lines, none over the limit, nothing lost or reordered', () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => `• \`acme/repo-${i}\` → <#C${i}> ${'x'.repeat(80)}`);
    const parts = replyParts(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(REPLY_PART_MAX);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    expect(replyParts('short')).toEqual(['short']);
  });

  it('past five messages, the last says how many lines were left out', () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `line ${i} ${'y'.repeat(100)}`);
    const parts = replyParts(lines.join('\n'));
    expect(parts).toHaveLength(REPLY_PARTS_MAX);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(REPLY_PART_MAX);
    const shown = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('line ')).length;
    expect(parts.at(-1)).toMatch(
      new RegExp(`…and ${3_000 - shown} more lines: a reply to one command holds only so much\\.$`),
    );
  });
});

describe('/notify list with 800 subscriptions', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ t, close } = await startSlackSide());
    await t.installWorkspace({ workspaceId: 'TMANY' });
  });
  afterAll(() => close());

  it('shows every one, in several ephemeral replies', { timeout: 120_000 }, async () => {
    const repos = Array.from(
      { length: 800 },
      (_, i) => `acme-platform-team/service-number-${String(i).padStart(3, '0')}`,
    );
    for (let i = 0; i < repos.length; i += 50) {
      await Promise.all(
        repos.slice(i, i + 50).map((repoFullName, j) =>
          t.deps.store.subscriptions.subscribe({
            workspaceId: 'TMANY',
            repoFullName,
            channelId: `CCHANNEL${i + j}`,
            actor: 'UADMIN',
            at: new Date(),
          }),
        ),
      );
    }
    const { status, replies } = await t.slashCommand({
      workspaceId: 'TMANY',
      userId: 'UADMIN',
      text: 'list',
      expectReplies: 2,
    });
    expect(status).toBe(200);
    expect(replies.length).toBeGreaterThan(1);
    const texts = replies.map((r) => String(r['text']));
    for (const [i, reply] of replies.entries()) {
      expect(reply['response_type']).toBe('ephemeral');
      expect(texts[i]!.length).toBeLessThanOrEqual(40_000);
    }
    const all = texts.join('\n');
    expect(all).toContain('*Subscriptions in this workspace (800):*');
    for (const repo of repos) expect(all).toContain(`\`${repo}\``);
  });
});
