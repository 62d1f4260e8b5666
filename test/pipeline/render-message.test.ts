import { describe, expect, it } from 'vitest';
import { EPOCH, type PrState } from '../../src/pipeline/core/pr-state.js';
import { renderPrMessage, toRenderHash } from '../../src/pipeline/core/render-message.js';
import { escapeMrkdwn } from '../../src/shared/mrkdwn.js';
import { prStateFixture } from '../support/pr-state-fixture.js';

const pr = (over: Partial<PrState> = {}): PrState =>
  prStateFixture({ size: { additions: 12, deletions: 3, changedFiles: 1 }, sizeUpdatedAt: EPOCH, ...over });

const fields = (state: PrState, mention: string | null = null) => {
  const [section] = renderPrMessage({ pr: state, authorMention: mention }).blocks;
  if (section?.type !== 'section') throw new Error('expected a section');
  return {
    heading: section.text.text,
    fields: Object.fromEntries((section.fields ?? []).map((f) => f.text.split('\n') as [string, string])),
  };
};

describe('renderPrMessage', () => {
  it('links the title to the PR with its number', () => {
    expect(fields(pr()).heading).toBe('*<https://github.com/octo-org/hello-world/pull/42|#42 Add greeting>*');
  });

  it('shows repo, author login, base ← head, size and state', () => {
    expect(fields(pr()).fields).toEqual({
      '*Repository*': 'octo-org/hello-world',
      '*Author*': 'octo',
      '*Branch*': '`main` ← `feature/greet`',
      '*Size*': '+12 / -3, 1 file',
      '*State*': 'open',
    });
  });

  it('mentions the author when they are linked in the workspace', () => {
    expect(fields(pr(), '<@U123>').fields['*Author*']).toBe('<@U123>');
    expect(renderPrMessage({ pr: pr(), authorMention: '<@U123>' }).text).toContain('by <@U123>');
  });

  it.each([
    [{ draft: true }, 'draft'],
    [{ state: 'closed' as const, merged: true }, 'merged'],
    [{ state: 'closed' as const }, 'closed'],
  ])('state %o → %s', (over, label) => {
    expect(fields(pr(over)).fields['*State*']).toBe(label);
    expect(renderPrMessage({ pr: pr(over), authorMention: null }).text).toContain(`(${label})`);
  });

  it('says the size is unknown when no full snapshot was seen', () => {
    expect(fields(pr({ size: null })).fields['*Size*']).toBe('unknown');
  });

  it('escapes mrkdwn control characters in every piece of user input', () => {
    const hostile = pr({
      title: '<!channel> & <https://evil.example|click>',
      authorLogin: 'a<b',
      baseRef: '<!here>',
      headRef: 'x>y',
    });
    const { heading, fields: f } = fields(hostile);
    expect(heading).toBe(
      '*<https://github.com/octo-org/hello-world/pull/42|#42 &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;>*',
    );
    expect(f['*Author*']).toBe('a&lt;b');
    expect(f['*Branch*']).toBe('`&lt;!here&gt;` ← `x&gt;y`');
    const text = renderPrMessage({ pr: hostile, authorMention: null }).text;
    expect(text).not.toMatch(/<!/);
    expect(escapeMrkdwn('a & b')).toBe('a &amp; b');
  });

  it('keeps a branch name with backticks inside its code span (Git allows them; Slack has no escape for them)', () => {
    const { fields: f } = fields(pr({ baseRef: 'main', headRef: 'x`*APPROVED*`' }));
    expect(f['*Branch*']).toBe('`main` ← `xˋ*APPROVED*ˋ`');
  });

  it('does not let a URL break out of its link', () => {
    expect(fields(pr({ url: 'https://x.example/a|b>c' })).heading).toBe(
      '*<https://x.example/a%7Cb%3Ec|#42 Add greeting>*',
    );
    expect(fields(pr({ url: 'javascript:alert(1)' })).heading).toBe('*#42 Add greeting*');
  });

  it('hashes equal renderings equally and different ones differently', () => {
    const a = renderPrMessage({ pr: pr(), authorMention: null });
    expect(toRenderHash(a)).toBe(toRenderHash(renderPrMessage({ pr: pr(), authorMention: null })));
    expect(toRenderHash(a)).not.toBe(
      toRenderHash(renderPrMessage({ pr: pr({ title: 'Other' }), authorMention: null })),
    );
  });
});
