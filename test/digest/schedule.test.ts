import { describe, expect, it } from 'vitest';
import { EVERY_DAY, WORK_DAYS, type DigestSchedule } from '../../src/digest/digest-config.js';
import { isKnownTimeZone, localDateOf, nextOccurrence } from '../../src/digest/schedule.js';

const berlin = (time: string, days = EVERY_DAY): DigestSchedule => ({
  time,
  timeZone: 'Europe/Berlin',
  days: [...days],
});
const iso = (s: string) => new Date(s);

describe('the next occurrence of a digest', () => {
  it('is today at the time when that is still ahead, else tomorrow', () => {
    expect(nextOccurrence(berlin('09:30'), iso('2026-01-14T07:00:00Z'))).toEqual({
      at: iso('2026-01-14T08:30:00Z'),
      localDate: '2026-01-14',
    });
    expect(nextOccurrence(berlin('09:30'), iso('2026-01-14T08:30:00Z'))).toEqual({
      at: iso('2026-01-15T08:30:00Z'),
      localDate: '2026-01-15',
    });
  });

  it('takes the local date of the time zone, not of UTC', () => {
    // 23:30 UTC on the 14th is already the 15th in Tokyo.
    const tokyo = { time: '08:00', timeZone: 'Asia/Tokyo', days: [...EVERY_DAY] };
    expect(nextOccurrence(tokyo, iso('2026-01-14T23:30:00Z'))).toEqual({
      at: iso('2026-01-15T23:00:00Z'),
      localDate: '2026-01-16',
    });
    expect(localDateOf(iso('2026-01-14T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-01-15');
  });

  it('skips the weekend for weekdays', () => {
    // Friday 2026-01-16 after 09:30 → Monday the 19th.
    expect(nextOccurrence(berlin('09:30', WORK_DAYS), iso('2026-01-16T10:00:00Z'))).toEqual({
      at: iso('2026-01-19T08:30:00Z'),
      localDate: '2026-01-19',
    });
  });

  it('finds the one chosen day a week ahead', () => {
    // Wednesday after its time → next Wednesday.
    expect(nextOccurrence(berlin('09:30', ['wed']), iso('2026-01-14T09:00:00Z')).localDate).toBe('2026-01-21');
  });

  it('keeps the local time across the spring and autumn DST changes', () => {
    // Berlin goes to summer time on 2026-03-29: 09:30 is 08:30Z before and 07:30Z after.
    expect(nextOccurrence(berlin('09:30'), iso('2026-03-28T09:00:00Z')).at).toEqual(iso('2026-03-29T07:30:00Z'));
    // And back on 2026-10-25.
    expect(nextOccurrence(berlin('09:30'), iso('2026-10-24T08:00:00Z')).at).toEqual(iso('2026-10-25T08:30:00Z'));
    // New York changes on other dates (2026-03-08).
    const ny = { time: '09:30', timeZone: 'America/New_York', days: [...EVERY_DAY] };
    expect(nextOccurrence(ny, iso('2026-03-07T15:00:00Z')).at).toEqual(iso('2026-03-08T13:30:00Z'));
  });

  it('moves a time that does not exist on the spring-forward night on by the gap, and takes the first of a doubled one', () => {
    expect(nextOccurrence(berlin('02:30'), iso('2026-03-28T12:00:00Z'))).toEqual({
      at: iso('2026-03-29T01:30:00Z'), // 03:30 CEST
      localDate: '2026-03-29',
    });
    expect(nextOccurrence(berlin('02:30'), iso('2026-10-24T12:00:00Z'))).toEqual({
      at: iso('2026-10-25T00:30:00Z'), // the first 02:30 (CEST)
      localDate: '2026-10-25',
    });
  });

  it('knows IANA zones and refuses made-up ones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
