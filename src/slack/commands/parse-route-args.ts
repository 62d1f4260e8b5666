import { parseFilters, type RouteFilters } from '../../domain/route-filters.js';
import { parseChannel, type ChannelRef } from './parse-channel.js';
import { parseRepo, type RepoName } from './parse-repo.js';

/** `owner/repo [#channel] [filters…]`, as `subscribe`, `filter` and `unsubscribe` take it. */
export type RouteArgs =
  | { ok: true; repo: RepoName; channel: ChannelRef | null; filters: RouteFilters | null }
  | { ok: false; reason: string };

/** Slack escapes these three in command text; a label may contain them. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Reads the arguments from the raw text after the subcommand (filters keep their spaces inside quotes). A word
 * after the repo that starts with `#` or `<#` is the channel; everything after that is filters, or null when none.
 */
export function parseRouteArgs(rest: string): RouteArgs {
  const [, repoWord = '', afterRepo = ''] = /^(\S*)\s*([\s\S]*)$/u.exec(rest.trim()) ?? [];
  const repo = parseRepo(repoWord);
  if (!repo.ok) return { ok: false, reason: repo.reason };
  let filterText = afterRepo;
  let channel: ChannelRef | null = null;
  const [, channelWord = '', afterChannel = ''] = /^(\S*)\s*([\s\S]*)$/u.exec(afterRepo) ?? [];
  if (channelWord.startsWith('#') || channelWord.startsWith('<#')) {
    const parsed = parseChannel(channelWord);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    channel = parsed.channel;
    filterText = afterChannel;
  }
  if (filterText.trim() === '') return { ok: true, repo: repo.repo, channel, filters: null };
  const filters = parseFilters(unescapeSlack(filterText));
  if (!filters.ok)
    return { ok: false, reason: `I didn't understand \`${filters.token}\`: expected ${filters.expected}.` };
  return { ok: true, repo: repo.repo, channel, filters: filters.filters };
}
