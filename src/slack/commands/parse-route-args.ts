import { isAccountTarget } from '../../domain/account-subscription.js';
import { parseFilters, type RouteFilters } from '../../domain/route-filters.js';
import { parseChannel, type ChannelRef } from './parse-channel.js';
import { isOwnerName, parseRepo, type RepoName } from './parse-repo.js';

/** `owner/repo… [#channel] [filters…]`, as `subscribe`, `filter` and `unsubscribe` take it. */
export type RouteArgs =
  | { ok: true; repos: RepoName[]; channel: ChannelRef | null; filters: RouteFilters | null }
  | { ok: false; reason: string };

/** At most this many repos in one command, so that one reply stays readable and one command stays quick. */
export const MAX_REPOS_PER_COMMAND = 20;

/**
 * A channel, a filter or any word of another kind than the first ends the list: after repos (`owner/repo`) a bare
 * word ends it, so a filter typo such as `wip` is answered by the filter parser, naming it; after an account (a
 * bare owner name) only another account continues it. A pasted URL is still a repo.
 */
function endsRepoList(word: string, accounts: boolean): boolean {
  if (/^https?:\/\//i.test(word) || /^<https?:\/\//i.test(word)) return false;
  if (word.startsWith('#') || word.startsWith('<#') || word.startsWith('+') || word.startsWith('-')) return true;
  if (/^[A-Za-z]+:/.test(word) || word.toLowerCase() === 'none') return true;
  return accounts ? !isOwnerName(word) : !word.includes('/');
}

/** Slack escapes these three in command text; a label may contain them. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Reads the arguments from the raw text after the subcommand (filters keep their spaces inside quotes). The
 * first word and every following word that is not a channel or a filter is a repo (listed once each, in order);
 * then a word that starts with `#` or `<#` is the channel; everything after that is filters, or null when none.
 */
export function parseRouteArgs(rest: string): RouteArgs {
  const repos: RepoName[] = [];
  let afterRepo = rest.trim();
  do {
    const [, repoWord = '', after = ''] = /^(\S*)\s*([\s\S]*)$/u.exec(afterRepo) ?? [];
    const repo = parseRepo(repoWord);
    if (!repo.ok) return { ok: false, reason: repo.reason };
    const key = repo.repo.fullName.toLowerCase();
    if (!repos.some((r) => r.fullName.toLowerCase() === key)) repos.push(repo.repo);
    afterRepo = after;
  } while (
    afterRepo !== '' &&
    !endsRepoList(/^\S*/u.exec(afterRepo)?.[0] ?? '', repos[0] !== undefined && isAccountTarget(repos[0].fullName))
  );
  let filterText = afterRepo;
  let channel: ChannelRef | null = null;
  const [, channelWord = '', afterChannel = ''] = /^(\S*)\s*([\s\S]*)$/u.exec(afterRepo) ?? [];
  if (channelWord.startsWith('#') || channelWord.startsWith('<#')) {
    const parsed = parseChannel(channelWord);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    channel = parsed.channel;
    filterText = afterChannel;
  }
  if (filterText.trim() === '') return { ok: true, repos, channel, filters: null };
  const filters = parseFilters(unescapeSlack(filterText));
  if (!filters.ok)
    return { ok: false, reason: `I didn't understand \`${filters.token}\`: expected ${filters.expected}.` };
  return { ok: true, repos, channel, filters: filters.filters };
}
