import { describe, expect, it } from 'vitest';
import {
  formatFilters,
  matchesBranchGlob,
  matchesFilters,
  NO_FILTERS,
  parseFilters,
  type FilterSubject,
  type RouteFilters,
} from '../../src/domain/route-filters.js';

const parsed = (text: string): RouteFilters => {
  const result = parseFilters(text);
  if (!result.ok) throw new Error(`did not parse: ${result.token} (${result.expected})`);
  return result.filters;
};

const pr = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  labels: [],
  baseRef: 'main',
  authorLogin: 'alice',
  authorIsBot: false,
  ...over,
});

describe('parseFilters', () => {
  it('reads every kind of filter, with quoted values, Unicode and commas inside quotes', () => {
    expect(
      parsed(
        '+label:"needs review" +label:"a, b" -label:wip +label:🚀-ship base:release/* author:alice -author:renovate[bot] bots:on drafts:ON',
      ),
    ).toEqual({
      includeLabels: ['needs review', 'a, b', '🚀-ship'],
      excludeLabels: ['wip'],
      bases: ['release/*'],
      authors: ['alice'],
      excludeAuthors: ['renovate[bot]'],
      bots: true,
      drafts: true,
    });
  });

  it('takes Slack’s curly quotes and escaped quotes, and a colon inside a value', () => {
    expect(parsed('+label:\u201cneeds review\u201d -label:"say \\"hi\\"" +label:"type: bug"').includeLabels).toEqual([
      'needs review',
      'type: bug',
    ]);
    expect(parsed('-label:"say \\"hi\\""').excludeLabels).toEqual(['say "hi"']);
  });

  it('is empty for no words, and keeps one copy of a label given twice in other case', () => {
    expect(parsed('   ')).toEqual(NO_FILTERS);
    expect(parsed('+label:Bug +label:bug').includeLabels).toEqual(['Bug']);
  });

  it('names the bad token and what was expected', () => {
    expect(parseFilters('+label:ok +lable:wip')).toEqual({
      ok: false,
      token: '+lable:wip',
      expected: expect.stringContaining('+label:'),
    });
    expect(parseFilters('bots:maybe')).toEqual({ ok: false, token: 'bots:maybe', expected: '`bots:on` or `bots:off`' });
    expect(parseFilters('+label:"needs review')).toEqual({
      ok: false,
      token: '+label:"needs review',
      expected: 'a closing quote (")',
    });
    expect(parseFilters('base:')).toMatchObject({ ok: false, token: 'base:' });
    expect(parseFilters('wip')).toMatchObject({ ok: false, token: 'wip' });
  });

  it('round-trips through formatFilters', () => {
    const text = '+label:"needs review" +label:"a, b" -label:wip base:release/** author:alice -author:x bots:on';
    const filters = parsed(text);
    expect(formatFilters(filters)).toBe(text);
    expect(parsed(formatFilters(filters))).toEqual(filters);
    expect(formatFilters(NO_FILTERS)).toBe('');
    const odd = parsed('+label:"say \\"hi\\" \\\u201cthere\\\u201d" -label:"back\\\\slash"');
    expect(odd.includeLabels).toEqual(['say "hi" \u201cthere\u201d']);
    expect(odd.excludeLabels).toEqual(['back\\slash']);
    expect(parsed(formatFilters(odd))).toEqual(odd);
  });
});

describe('matchesFilters', () => {
  it('lets every human PR through with no filters, and keeps bots out by default', () => {
    expect(matchesFilters(NO_FILTERS, pr())).toBe(true);
    expect(matchesFilters(NO_FILTERS, pr({ authorLogin: 'dependabot[bot]', authorIsBot: true }))).toBe(false);
    expect(matchesFilters(NO_FILTERS, pr({ authorLogin: 'renovate-bot' }))).toBe(false);
    expect(matchesFilters(NO_FILTERS, pr({ authorLogin: 'some-app', authorIsBot: true }))).toBe(false);
    expect(matchesFilters(parsed('bots:on'), pr({ authorLogin: 'dependabot[bot]', authorIsBot: true }))).toBe(true);
    expect(matchesFilters(parsed('author:dependabot[bot]'), pr({ authorLogin: 'Dependabot[bot]' }))).toBe(true);
  });

  it('includes on any of the labels, excludes on any, case-insensitively', () => {
    const f = parsed('+label:frontend +label:"needs review" -label:WIP');
    expect(matchesFilters(f, pr({ labels: ['Needs Review'] }))).toBe(true);
    expect(matchesFilters(f, pr({ labels: ['frontend', 'backend'] }))).toBe(true);
    expect(matchesFilters(f, pr({ labels: ['backend'] }))).toBe(false);
    expect(matchesFilters(f, pr({ labels: ['frontend', 'wip'] }))).toBe(false);
    expect(matchesFilters(parsed('-label:wip'), pr({ labels: [] }))).toBe(true);
  });

  it('matches authors case-insensitively and excludes named authors', () => {
    expect(matchesFilters(parsed('author:Alice'), pr())).toBe(true);
    expect(matchesFilters(parsed('author:bob'), pr())).toBe(false);
    expect(matchesFilters(parsed('-author:ALICE'), pr())).toBe(false);
  });

  it('matches base branches by anchored glob', () => {
    const f = parsed('base:main base:release/*');
    expect(matchesFilters(f, pr({ baseRef: 'main' }))).toBe(true);
    expect(matchesFilters(f, pr({ baseRef: 'release/1.2' }))).toBe(true);
    expect(matchesFilters(f, pr({ baseRef: 'release/1.2/hotfix' }))).toBe(false);
    expect(matchesFilters(f, pr({ baseRef: 'main-old' }))).toBe(false);
  });
});

describe('matchesBranchGlob', () => {
  it('keeps * inside one segment, lets ** cross /, and treats other characters literally', () => {
    expect(matchesBranchGlob('release/*', 'release/2024.1')).toBe(true);
    expect(matchesBranchGlob('release/*', 'release/a/b')).toBe(false);
    expect(matchesBranchGlob('release/**', 'release/a/b')).toBe(true);
    expect(matchesBranchGlob('v1.?', 'v1.2')).toBe(true);
    expect(matchesBranchGlob('v1.0', 'v100')).toBe(false);
    expect(matchesBranchGlob('feat(x)', 'feat(x)')).toBe(true);
    expect(matchesBranchGlob('Main', 'main')).toBe(false);
  });
});
