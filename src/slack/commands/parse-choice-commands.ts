import { REVIEW_REQUEST_DELIVERIES, type ReviewRequestDelivery } from '../../domain/user.js';
import { parseChannel, type ChannelRef } from './parse-channel.js';
import { cutText } from '../../shared/cut-text.js';

/** The commands for a person's own choices and a channel's settings. */
export type ChoiceCommand =
  | { kind: 'reviews'; delivery: ReviewRequestDelivery }
  | { kind: 'news'; enabled: boolean }
  /** `channel` null: the channel the command was typed in. Without `threads`: show the settings. */
  | { kind: 'settings'; channel: ChannelRef | null; threads?: boolean };

type Parsed = ChoiceCommand | { kind: 'usage_error'; message: string };

const usage = (message: string): Parsed => ({ kind: 'usage_error', message });

/** `reviews thread|dm|off`. */
export function parseReviews(args: string[], command: string): Parsed {
  const value = args[0]?.toLowerCase();
  const delivery = REVIEW_REQUEST_DELIVERIES.find((d) => d === value);
  if (args.length !== 1 || delivery === undefined)
    return usage(
      `Use \`${command} reviews thread\` (mentioned in the PR's thread), \`${command} reviews dm\` (a direct message) or \`${command} reviews off\`.`,
    );
  return { kind: 'reviews', delivery };
}

/** The one word of `<subcommand> on|off`, as a boolean; null when it is anything else. */
export function parseOnOff(args: string[]): boolean | null {
  const value = args.length === 1 ? args[0]?.toLowerCase() : undefined;
  return value === 'on' ? true : value === 'off' ? false : null;
}

/** `news on|off`. */
export function parseNews(args: string[], command: string): Parsed {
  const enabled = parseOnOff(args);
  if (enabled === null) return usage(`Use \`${command} news on\` or \`${command} news off\`.`);
  return { kind: 'news', enabled };
}

const THREADS = /^threads:(on|off)$/i;

/** `settings [#channel] [threads:on|off]`: the channel, if named, comes first. */
export function parseSettings(args: string[], command: string): Parsed {
  const help = `Use \`${command} settings [#channel]\` to see a channel's settings, or \`${command} settings [#channel] threads:on|off\` to change them.`;
  let channel: ChannelRef | null = null;
  let threads: boolean | undefined;
  for (const [i, word] of args.entries()) {
    const option = THREADS.exec(word);
    if (option) {
      if (threads !== undefined) return usage(`Name \`threads:\` once. ${help}`);
      threads = option[1]!.toLowerCase() === 'on';
    } else if (/^threads\b/i.test(word)) {
      return usage(`Use \`threads:on\` or \`threads:off\`. ${help}`);
    } else if (word.includes(':')) {
      return usage(`\`${cutText(word, 40)}\` is not a setting: use \`threads:on\` or \`threads:off\`. ${help}`);
    } else if (i === 0) {
      const parsed = parseChannel(word);
      if (!parsed.ok) return usage(`${parsed.reason} ${help}`);
      channel = parsed.channel;
    } else {
      return usage(`I don't understand \`${cutText(word, 40)}\` here. ${help}`);
    }
  }
  return { kind: 'settings', channel, ...(threads === undefined ? {} : { threads }) };
}
