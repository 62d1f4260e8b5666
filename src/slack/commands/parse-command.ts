import { parseChannel, type ChannelRef } from './parse-channel.js';
import { parseNews, parseOnOff, parseReviews, parseSettings, type ChoiceCommand } from './parse-choice-commands.js';
import { parseDigest, type DigestCommand } from './parse-digest.js';
import type { RepoName } from './parse-repo.js';
import { MAX_REPOS_PER_COMMAND, parseRouteArgs, type RouteArgs } from './parse-route-args.js';
import { cutText } from '../../shared/cut-text.js';
import { NO_FILTERS, type RouteFilters } from '../../domain/route-filters.js';

/** Every `/notify` subcommand (CONTRACT.md §4), or a usage error saying what was wrong. */
export type NotifyCommand =
  | { kind: 'help' }
  | { kind: 'link' }
  | { kind: 'unlink' }
  | { kind: 'channel'; channel: ChannelRef }
  | { kind: 'status' }
  /** One or more repos (distinct, at most MAX_REPOS_PER_COMMAND), all to the same channel with the same filters. */
  | { kind: 'subscribe'; repos: RepoName[]; channel: ChannelRef | null; filters?: RouteFilters }
  | { kind: 'filter'; repo: RepoName; channel: ChannelRef | null; filters: RouteFilters }
  | { kind: 'unsubscribe'; repos: RepoName[]; channel?: ChannelRef }
  | { kind: 'list' }
  | { kind: 'notifications'; enabled: boolean }
  | ChoiceCommand
  | DigestCommand
  | { kind: 'usage_error'; message: string };

/** Pure: the slash command text in, a command out. Never throws. */
export function parseCommand(text: string, command: string): NotifyCommand {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [first, ...args] = words;
  // What follows the subcommand, as typed: filters keep the spaces inside their quotes.
  const rest = text.trim().slice(first?.length ?? 0);
  const sub = first?.toLowerCase();
  const usage = (message: string): NotifyCommand => ({ kind: 'usage_error', message });
  const noArgs = <C extends NotifyCommand>(command: C): NotifyCommand =>
    args.length === 0 ? command : usage(`\`${sub}\` takes no arguments.`);
  const tooMany = (parsed: RouteArgs): NotifyCommand | null =>
    parsed.ok && parsed.repos.length > MAX_REPOS_PER_COMMAND
      ? usage(`Name at most ${MAX_REPOS_PER_COMMAND} repositories in one command (you named ${parsed.repos.length}).`)
      : null;

  switch (sub) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'link':
      return noArgs({ kind: 'link' });
    case 'unlink':
      return noArgs({ kind: 'unlink' });
    case 'status':
      return noArgs({ kind: 'status' });
    case 'list':
      return noArgs({ kind: 'list' });
    case 'channel': {
      if (args.length !== 1) return usage(`Name one channel: \`${command} channel #channel\`.`);
      const channel = parseChannel(args[0]!);
      return channel.ok ? { kind: 'channel', channel: channel.channel } : usage(channel.reason);
    }
    case 'subscribe': {
      if (args.length < 1)
        return usage(
          `Use \`${command} subscribe owner/repo [#channel]\`. Filters may follow, e.g. \`+label:frontend -label:wip\`.`,
        );
      const parsed = parseRouteArgs(rest);
      if (!parsed.ok) return usage(parsed.reason);
      const { repos, channel, filters } = parsed;
      return tooMany(parsed) ?? { kind: 'subscribe', repos, channel, ...(filters ? { filters } : {}) };
    }
    case 'filter': {
      // `none` (instead of filters) clears a route's filters.
      const none = /\snone\s*$/i.exec(rest);
      const parsed = args.length < 1 ? null : parseRouteArgs(none ? rest.slice(0, none.index) : rest);
      if (parsed && !parsed.ok) return usage(parsed.reason);
      if (!parsed || parsed.repos.length !== 1 || (parsed.filters === null) === (none === null))
        return usage(
          `Use \`${command} filter owner/repo [#channel] filters\` (e.g. \`+label:frontend -label:wip\`), or \`none\` to clear them.`,
        );
      return { kind: 'filter', repo: parsed.repos[0]!, channel: parsed.channel, filters: parsed.filters ?? NO_FILTERS };
    }
    case 'unsubscribe': {
      const parsed = args.length < 1 ? null : parseRouteArgs(rest);
      if (parsed && !parsed.ok) return usage(parsed.reason);
      if (!parsed || parsed.filters !== null) return usage(`Use \`${command} unsubscribe owner/repo [#channel]\`.`);
      const { repos } = parsed;
      return tooMany(parsed) ?? { kind: 'unsubscribe', repos, ...(parsed.channel ? { channel: parsed.channel } : {}) };
    }
    case 'notifications': {
      const enabled = parseOnOff(args);
      if (enabled === null) return usage(`Use \`${command} notifications on\` or \`${command} notifications off\`.`);
      return { kind: 'notifications', enabled };
    }
    case 'reviews':
      return parseReviews(args, command);
    case 'news':
      return parseNews(args, command);
    case 'settings':
      return parseSettings(args, command);
    case 'digest':
      return parseDigest(args, command);
    default:
      return usage(`I don't know \`${cutText(first ?? '', 40)}\`.`);
  }
}
