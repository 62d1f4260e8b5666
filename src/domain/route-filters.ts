import { tokenizeFilters, type FilterToken } from './filter-tokens.js';
import { isBotLogin } from './bot-logins.js';

/**
 * Which pull requests of a repo one channel gets. Lists are "any of" (include) or "none of" (exclude); an empty
 * include list lets everything through. Bots are out unless `bots` is on; drafts are posted only with `drafts` on.
 */
export interface RouteFilters {
  includeLabels: string[];
  excludeLabels: string[];
  /** Branch globs, anchored: `*` stays within one path segment, `**` crosses `/`. */
  bases: string[];
  authors: string[];
  excludeAuthors: string[];
  bots: boolean;
  drafts: boolean;
}

export const NO_FILTERS: RouteFilters = {
  includeLabels: [],
  excludeLabels: [],
  bases: [],
  authors: [],
  excludeAuthors: [],
  bots: false,
  drafts: false,
};

/** What the filters look at: the PR's folded state. */
export interface FilterSubject {
  labels: readonly string[];
  baseRef: string;
  authorLogin: string;
  /** `user.type == "Bot"` on the PR (the author, never a later event's sender). */
  authorIsBot: boolean;
}

export type ParseFiltersResult = { ok: true; filters: RouteFilters } | { ok: false; token: string; expected: string };

/** Enough for any real routing rule, and keeps a route document small. */
export const FILTER_LIMITS = { tokens: 30, value: 256 } as const;

const EXPECTED_KEY =
  '`+label:`, `-label:`, `base:`, `author:`, `-author:`, `bots:on|off` or `drafts:on|off` (e.g. `+label:"needs review"`)';

type ListField = 'includeLabels' | 'excludeLabels' | 'bases' | 'authors' | 'excludeAuthors';

const LIST_KEYS: Record<string, ListField> = {
  '+label': 'includeLabels',
  label: 'includeLabels',
  '-label': 'excludeLabels',
  base: 'bases',
  '+base': 'bases',
  author: 'authors',
  '+author': 'authors',
  '-author': 'excludeAuthors',
};

/** Parses the filter words of a command (everything after the repo and channel). Never throws. */
export function parseFilters(input: string): ParseFiltersResult {
  const tokenized = tokenizeFilters(input);
  if (!tokenized.ok) return tokenized;
  if (tokenized.tokens.length > FILTER_LIMITS.tokens)
    return {
      ok: false,
      token: tokenized.tokens[FILTER_LIMITS.tokens]!.raw,
      expected: `at most ${FILTER_LIMITS.tokens} filters`,
    };
  const filters: RouteFilters = { ...NO_FILTERS, ...emptyLists() };
  for (const token of tokenized.tokens) {
    const error = applyToken(filters, token);
    if (error) return { ok: false, token: token.raw, expected: error };
  }
  return { ok: true, filters };
}

function emptyLists(): Pick<RouteFilters, ListField> {
  return { includeLabels: [], excludeLabels: [], bases: [], authors: [], excludeAuthors: [] };
}

/** Applies one token; returns what was expected instead when it is not a filter. */
function applyToken(filters: RouteFilters, token: FilterToken): string | null {
  const colon = token.text.indexOf(':');
  if (colon <= 0) return EXPECTED_KEY;
  const key = token.text.slice(0, colon).toLowerCase();
  const value = token.text.slice(colon + 1);
  if (key === 'bots' || key === 'drafts') {
    const flag = value.toLowerCase();
    if (flag !== 'on' && flag !== 'off') return `\`${key}:on\` or \`${key}:off\``;
    filters[key] = flag === 'on';
    return null;
  }
  const field = LIST_KEYS[key];
  if (!field) return EXPECTED_KEY;
  if (value.trim() === '') return `a value after \`${key}:\` (quote it if it has spaces)`;
  if (value.length > FILTER_LIMITS.value) return `a value of at most ${FILTER_LIMITS.value} characters`;
  const list = filters[field];
  const same = (a: string) => (field === 'bases' ? a === value : a.toLowerCase() === value.toLowerCase());
  if (!list.some(same)) list.push(value);
  return null;
}

/** The filters as a user would type them, in a fixed order; parseFilters reads it back to the same filters. */
export function formatFilters(filters: RouteFilters): string {
  const words = [
    ...filters.includeLabels.map((v) => `+label:${quote(v)}`),
    ...filters.excludeLabels.map((v) => `-label:${quote(v)}`),
    ...filters.bases.map((v) => `base:${quote(v)}`),
    ...filters.authors.map((v) => `author:${quote(v)}`),
    ...filters.excludeAuthors.map((v) => `-author:${quote(v)}`),
    ...(filters.bots ? ['bots:on'] : []),
    ...(filters.drafts ? ['drafts:on'] : []),
  ];
  return words.join(' ');
}

export function hasFilters(filters: RouteFilters): boolean {
  return formatFilters(filters) !== '';
}

function quote(value: string): string {
  return /^[^\s"\u201c\u201d\\]+$/u.test(value) ? value : `"${value.replace(/["\u201c\u201d\\]/gu, (c) => `\\${c}`)}"`;
}

/** A PR's labels as the filters tell them apart: by name, whatever the letter case. */
export function labelKeys(labels: readonly string[]): Set<string> {
  return new Set(labels.map((l) => l.toLowerCase()));
}

/** Whether a PR passes the filters (drafts are decided when posting: see `drafts`). */
export function matchesFilters(filters: RouteFilters, pr: FilterSubject): boolean {
  const labels = labelKeys(pr.labels);
  const login = pr.authorLogin.toLowerCase();
  const named = (list: string[]) => list.some((a) => a.toLowerCase() === login);
  if (filters.includeLabels.length > 0 && !filters.includeLabels.some((l) => labels.has(l.toLowerCase()))) return false;
  if (filters.excludeLabels.some((l) => labels.has(l.toLowerCase()))) return false;
  if (filters.bases.length > 0 && !filters.bases.some((glob) => matchesBranchGlob(glob, pr.baseRef))) return false;
  if (filters.authors.length > 0 && !named(filters.authors)) return false;
  if (named(filters.excludeAuthors)) return false;
  // A bot named in `author:` is wanted on purpose, even with bots off.
  const bot = pr.authorIsBot || isBotLogin(pr.authorLogin);
  return !bot || filters.bots || named(filters.authors);
}

/**
 * Anchored glob over a branch name: `*` matches within one segment, `**` across `/`, `?` one character.
 * Decided by stepping every place in the glob the branch so far can reach (time: glob × branch), never by a
 * backtracking regular expression: `base:*a*a*a…b` against a long branch would stall the event loop for everyone.
 */
export function matchesBranchGlob(glob: string, branch: string): boolean {
  const steps = globSteps(glob);
  // reach[i]: the branch read so far can end just before steps[i] (steps.length: the whole glob).
  let reach = withWildcardsSkipped(steps, new Set([0]));
  for (const c of branch) {
    const next = new Set<number>();
    for (const i of reach) {
      const step = steps[i];
      if (step === undefined) continue;
      if (step === '**' || (step === '*' && c !== '/')) next.add(i);
      else if ((step === '?' && c !== '/') || step === c) next.add(i + 1);
    }
    if (next.size === 0) return false;
    reach = withWildcardsSkipped(steps, next);
  }
  return reach.has(steps.length);
}

type GlobStep = '**' | '*' | '?' | string;

function globSteps(glob: string): GlobStep[] {
  const steps: GlobStep[] = [];
  const chars = Array.from(glob);
  for (let i = 0; i < chars.length; i += 1) {
    if (chars[i] === '*' && chars[i + 1] === '*') {
      steps.push('**');
      i += 1;
    } else steps.push(chars[i]!);
  }
  return steps;
}

/** A `*` or `**` may match nothing: whoever reaches one also reaches the step after it. */
function withWildcardsSkipped(steps: readonly GlobStep[], reach: Set<number>): Set<number> {
  for (const i of reach) if (steps[i] === '*' || steps[i] === '**') reach.add(i + 1);
  return reach;
}
