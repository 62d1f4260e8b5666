import { WEEKDAY_NAMES, type DigestSchedule } from './digest-config.js';

/** A civil date, `YYYY-MM-DD`, as the digest's time zone sees it. */
export type LocalDate = string;

export interface Occurrence {
  at: Date;
  localDate: LocalDate;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as `Europe/Berlin`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instantMs`, written as if it were UTC (milliseconds). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const n = (k: string) => Number(parts[k]);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

const offsetAt = (instantMs: number, timeZone: string) =>
  wallClockMs(instantMs, timeZone) - Math.floor(instantMs / 1000) * 1000;

/**
 * The instant a wall-clock time (given as UTC milliseconds) happens in `timeZone`. Across a DST change: a time
 * that happens twice (clocks go back) is the first; a time that never happens (clocks go forward) is moved on
 * by the gap, e.g. 02:30 on the spring-forward night in Berlin is 03:30.
 */
export function zonedInstant(wallMs: number, timeZone: string): Date {
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const fits = [wallMs - before, wallMs - after].filter((t) => wallClockMs(t, timeZone) === wallMs);
  if (fits.length > 0) return new Date(Math.min(...fits));
  return new Date(wallMs - before);
}

/** The civil date of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The digest's first occurrence strictly after `after`: the next day (in its time zone) that is one of its days, at
 * its time. Pure; Intl knows the zone's rules, so DST changes fall where the zone has them.
 */
export function nextOccurrence(schedule: DigestSchedule, after: Date): Occurrence {
  const [hours, minutes] = schedule.time.split(':').map(Number);
  const today = Date.parse(`${localDateOf(after, schedule.timeZone)}T00:00:00Z`);
  // Eight days cover a whole week from today; a schedule always has at least one day.
  for (let d = 0; d <= 8; d++) {
    const dayMs = today + d * DAY_MS;
    const weekday = WEEKDAY_NAMES[new Date(dayMs).getUTCDay()]!;
    if (!schedule.days.includes(weekday)) continue;
    const at = zonedInstant(dayMs + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000, schedule.timeZone);
    if (at.getTime() > after.getTime()) return { at, localDate: new Date(dayMs).toISOString().slice(0, 10) };
  }
  throw new Error('a digest schedule needs at least one day');
}
