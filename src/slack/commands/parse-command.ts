import { parseChannel, type ChannelRef } from './parse-channel.js';
import { parseRepo, type RepoName } from './parse-repo.js';

/** Every `/notify` subcommand (CONTRACT.md §4), or a usage error saying what was wrong. */
export type NotifyCommand =
  | { kind: 'help' }
  | { kind: 'link' }
  | { kind: 'unlink' }
  | { kind: 'channel'; channel: ChannelRef }
  | { kind: 'status' }
  | { kind: 'subscribe'; repo: RepoName; channel: ChannelRef | null }
  | { kind: 'unsubscribe'; repo: RepoName }
  | { kind: 'list' }
  | { kind: 'notifications'; enabled: boolean }
  | { kind: 'usage_error'; message: string };

/** Pure: the slash command text in, a command out. Never throws. */
export function parseCommand(text: string, command: string): NotifyCommand {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [first, ...args] = words;
  const sub = first?.toLowerCase();
  const usage = (message: string): NotifyCommand => ({ kind: 'usage_error', message });
  const noArgs = <C extends NotifyCommand>(command: C): NotifyCommand =>
    args.length === 0 ? command : usage(`\`${sub}\` takes no arguments.`);

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
      if (args.length < 1 || args.length > 2) return usage(`Use \`${command} subscribe owner/repo [#channel]\`.`);
      const repo = parseRepo(args[0]!);
      if (!repo.ok) return usage(repo.reason);
      if (args.length === 1) return { kind: 'subscribe', repo: repo.repo, channel: null };
      const channel = parseChannel(args[1]!);
      return channel.ok ? { kind: 'subscribe', repo: repo.repo, channel: channel.channel } : usage(channel.reason);
    }
    case 'unsubscribe': {
      if (args.length !== 1) return usage(`Use \`${command} unsubscribe owner/repo\`.`);
      const repo = parseRepo(args[0]!);
      return repo.ok ? { kind: 'unsubscribe', repo: repo.repo } : usage(repo.reason);
    }
    case 'notifications': {
      const value = args[0]?.toLowerCase();
      if (args.length !== 1 || (value !== 'on' && value !== 'off'))
        return usage(`Use \`${command} notifications on\` or \`${command} notifications off\`.`);
      return { kind: 'notifications', enabled: value === 'on' };
    }
    default:
      return usage(`I don't know \`${truncate(first ?? '', 40)}\`.`);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
