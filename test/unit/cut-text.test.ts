import { describe, expect, it } from 'vitest';
import { cutText } from '../../src/shared/cut-text.js';
import { escapeMrkdwnWithin, joinWithin } from '../../src/shared/mrkdwn.js';

/** A lone half of a surrogate pair is what makes URL encoding (as the Slack client sends text) fail. */
const wellFormed = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

describe('cutting text to a limit', () => {
  it('keeps text that fits, and cuts text that does not to the limit with "…", never inside an emoji', () => {
    expect(cutText('short', 5)).toBe('short');
    expect(cutText('longer', 5)).toBe('long…');
    const cut = cutText(`${'x'.repeat(198)}😀 more`, 200);
    expect(cut).toBe(`${'x'.repeat(198)}…`);
    expect(wellFormed(cut)).toBe(true);
    for (let max = 1; max <= 12; max += 1) {
      const text = cutText('😀😀😀😀😀😀😀', max);
      expect(text.length).toBeLessThanOrEqual(max);
      expect(wellFormed(text)).toBe(true);
    }
  });

  it('escapes for Slack within the limit, counting each escape at its escaped length', () => {
    expect(escapeMrkdwnWithin('a & b', 20)).toBe('a &amp; b');
    const cut = escapeMrkdwnWithin('&'.repeat(700), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toBe(`${'&amp;'.repeat(19)}…`);
    expect(escapeMrkdwnWithin('<!channel> 😀😀', 14)).toBe('&lt;!channel…');
  });

  it('joins names within the limit and counts the ones left out', () => {
    const names = Array.from({ length: 300 }, (_, i) => `<@U${String(i).padStart(8, '0')}>`);
    const joined = joinWithin(names, 2_500);
    expect(joined.length).toBeLessThanOrEqual(2_500);
    const shown = joined.split(', ').length;
    expect(joined.endsWith(` and ${300 - shown} more`)).toBe(true);
    expect(joinWithin(['a', 'b'], 100)).toBe('a, b');
    expect(joinWithin(['a', 'b', 'c'], 8)).toBe('a and 2 more');
  });
});
