/** The days of the week, as typed in `/notify digest … mon,tue` and stored; index = JavaScript's getUTCDay(). */
export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAY_NAMES)[number];

export const WORK_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const EVERY_DAY: readonly Weekday[] = WEEKDAY_NAMES;

/** A PR is stuck after this long without review activity, unless the digest says otherwise. */
export const DEFAULT_THRESHOLD_HOURS = 24;
/** Sane bounds for `after:`: at least an hour, at most four weeks. */
export const MIN_THRESHOLD_HOURS = 1;
export const MAX_THRESHOLD_HOURS = 24 * 28;

/** When a channel's digest is sent: a local time on some days of the week in an IANA time zone. */
export interface DigestSchedule {
  /** `HH:MM`, 00:00–23:59, local time in `timeZone`. */
  time: string;
  /** IANA name, e.g. `Europe/Berlin` (checked with Intl). */
  timeZone: string;
  /** Never empty; in week order (sun first). */
  days: Weekday[];
}

/** One channel's digest, as `/notify digest` sets it (`digests/{team_id}#{channel_id}`). */
export interface DigestConfig extends DigestSchedule {
  workspaceId: string;
  channelId: string;
  enabled: boolean;
  thresholdHours: number;
  /** Slack user id of whoever set it last. */
  updatedBy: string;
  updatedAt: Date;
}

/** The day of this name (`mon`, lowercase), or undefined. */
export const toWeekday = (name: string): Weekday | undefined => WEEKDAY_NAMES.find((d) => d === name);

/** The days in week order without repeats. */
export function sortDays(days: Iterable<Weekday>): Weekday[] {
  const set = new Set(days);
  return WEEKDAY_NAMES.filter((d) => set.has(d));
}

/** How the days read back to a person: `weekdays`, `daily`, or the list. */
export function describeDays(days: readonly Weekday[]): string {
  const sorted = sortDays(days);
  if (sorted.length === 7) return 'daily';
  if (sorted.join(',') === WORK_DAYS.join(',')) return 'weekdays';
  return sorted.join(',');
}

/** `24h`, `3d`: how a threshold reads back (whole days from two days on). */
export function describeThreshold(hours: number): string {
  return hours >= 48 && hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}
