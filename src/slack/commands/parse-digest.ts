import {
  DEFAULT_THRESHOLD_HOURS,
  EVERY_DAY,
  MAX_THRESHOLD_HOURS,
  MIN_THRESHOLD_HOURS,
  sortDays,
  toWeekday,
  WORK_DAYS,
  type Weekday,
} from '../../digest/digest-config.js';
import { isKnownTimeZone } from '../../digest/schedule.js';
import { parseChannel, type ChannelRef } from './parse-channel.js';
import { cutText } from '../../shared/cut-text.js';

/** `/notify digest …`: set (and turn on), turn off, send now, or show a channel's digest. */
export type DigestCommand =
  | {
      kind: 'digest';
      action: 'set';
      channel: ChannelRef;
      time: string;
      timeZone: string;
      days: Weekday[];
      thresholdHours: number;
    }
  | { kind: 'digest'; action: 'off' | 'now' | 'show'; channel: ChannelRef };

type Parsed = DigestCommand | { kind: 'usage_error'; message: string };

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const AFTER = /^after:(\d{1,4})([hd])$/i;

export function digestUsage(command: string): string {
  return [
    `Use \`${command} digest #channel HH:MM Area/City [weekdays|daily|mon,tue,…] [after:24h|after:3d]\` to send the channel a daily list of stuck pull requests,`,
    `\`${command} digest #channel off\`, \`${command} digest #channel now\` (send it at once) or \`${command} digest #channel\` (show it).`,
  ].join(' ');
}

/** Pure: the words after `digest`. Never throws. */
export function parseDigest(args: readonly string[], command: string): Parsed {
  const usage = (message: string): Parsed => ({ kind: 'usage_error', message: `${message} ${digestUsage(command)}` });
  const [first, ...rest] = args;
  if (first === undefined) return usage('Name the channel.');
  const parsed = parseChannel(first);
  if (!parsed.ok) return usage(parsed.reason);
  const { channel } = parsed;
  const word = rest[0]?.toLowerCase();
  if (word === undefined) return { kind: 'digest', action: 'show', channel };
  if (word === 'off' || word === 'now')
    return rest.length === 1 ? { kind: 'digest', action: word, channel } : usage(`\`${word}\` takes nothing after it.`);

  const time = TIME.exec(rest[0]!);
  if (!time) return usage(`\`${cutText(rest[0]!, 20)}\` is not a time: use \`HH:MM\` from 00:00 to 23:59.`);
  const zone = rest[1];
  if (zone === undefined) return usage('Name the time zone, e.g. `Europe/Berlin`.');
  // Area/City names (and UTC): Intl also takes abbreviations such as `CET`, which say nothing about DST.
  if (!isKnownTimeZone(zone) || (!zone.includes('/') && zone.toUpperCase() !== 'UTC'))
    return usage(
      `\`${cutText(zone, 40)}\` is not a time zone I know: use an Area/City name such as \`Europe/Berlin\`.`,
    );
  let days: Weekday[] | null = null;
  let thresholdHours: number | null = null;
  for (const option of rest.slice(2)) {
    const after = AFTER.exec(option);
    if (after) {
      if (thresholdHours !== null) return usage('Name `after:` once.');
      thresholdHours = Number(after[1]) * (after[2]!.toLowerCase() === 'd' ? 24 : 1);
      if (thresholdHours < MIN_THRESHOLD_HOURS || thresholdHours > MAX_THRESHOLD_HOURS)
        return usage(`\`${cutText(option, 20)}\`: the threshold must be from 1h to 28d.`);
      continue;
    }
    if (option.toLowerCase().startsWith('after:'))
      return usage(`\`${cutText(option, 20)}\` is not a threshold: use e.g. \`after:24h\` or \`after:3d\`.`);
    if (days !== null) return usage(`Name the days once (\`${cutText(option, 40)}\` again).`);
    const parsedDays = parseDays(option);
    if (parsedDays === null)
      return usage(
        `\`${cutText(option, 40)}\` is not a choice of days: use \`weekdays\`, \`daily\` or e.g. \`mon,wed,fri\`.`,
      );
    days = parsedDays;
  }
  const hh = time[1]!.padStart(2, '0');
  return {
    kind: 'digest',
    action: 'set',
    channel,
    time: `${hh}:${time[2]!}`,
    timeZone: new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone,
    days: days ?? [...WORK_DAYS],
    thresholdHours: thresholdHours ?? DEFAULT_THRESHOLD_HOURS,
  };
}

function parseDays(word: string): Weekday[] | null {
  const lower = word.toLowerCase();
  if (lower === 'weekdays') return [...WORK_DAYS];
  if (lower === 'daily') return [...EVERY_DAY];
  const days = lower.split(',').map(toWeekday);
  return days.every((d): d is Weekday => d !== undefined) ? sortDays(days) : null;
}
