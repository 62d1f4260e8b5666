import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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

  it('decides the same as the glob read as a regular expression, on every small glob and branch tried', () => {
    // The oracle: the glob translated to an anchored regular expression (fine on inputs this small).
    const asRegExp = (glob: string) =>
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'))}$`,
        'u',
      );
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (alphabet: string, most: number) =>
      Array.from({ length: next(most + 1) }, () => alphabet[next(alphabet.length)]).join('');
    for (let i = 0; i < 5000; i += 1) {
      const glob = word('ab/.*?', 7);
      const branch = word('ab/.', 8);
      expect(matchesBranchGlob(glob, branch), `${glob} against ${branch}`).toBe(asRegExp(glob).test(branch));
    }
    expect(matchesBranchGlob('é?', 'éü')).toBe(true);
  });

  it('decides a glob full of wildcards against a long branch at once, so no filter can stall the process', async () => {
    // In a child process, so that a matcher that backtracks fails this test (killed) instead of hanging the run.
    const script = `
      import { matchesBranchGlob } from './src/domain/route-filters.ts';
      const a = (n) => 'a'.repeat(n);
      console.log(JSON.stringify([
        matchesBranchGlob('*a'.repeat(18) + '*b', a(250)),
        matchesBranchGlob('**a'.repeat(18) + '**b', 'a/'.repeat(120)),
        matchesBranchGlob('*a'.repeat(60) + '*b', a(250) + 'b'),
        matchesBranchGlob('?*'.repeat(80), a(250)),
      ]));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        timeout: 20_000,
      },
    );
    expect(JSON.parse(stdout)).toEqual([false, false, true, true]);
  }, 30_000);
});
