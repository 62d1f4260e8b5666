import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/slack/commands/parse-command.js';
import { parseDigest } from '../../src/slack/commands/parse-digest.js';
import { renderUsage } from '../../src/slack/commands/usage-text.js';

const parse = (text: string) => parseDigest(text.split(' ').filter(Boolean), '/notify');
const CHANNEL = { id: 'C123', name: 'eng' };

describe('parseDigest', () => {
  it('sets a digest with its defaults: weekdays, 24 h', () => {
    expect(parse('<#C123|eng> 9:30 Europe/Berlin')).toEqual({
      kind: 'digest',
      action: 'set',
      channel: CHANNEL,
      time: '09:30',
      timeZone: 'Europe/Berlin',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      thresholdHours: 24,
    });
  });

  it('takes days and a threshold in any order, and canonical zone names', () => {
    expect(parse('#eng 17:05 america/new_york after:3d fri,mon')).toMatchObject({
      channel: { id: null, name: 'eng' },
      time: '17:05',
      timeZone: 'America/New_York',
      days: ['mon', 'fri'],
      thresholdHours: 72,
    });
    expect(parse('#eng 00:00 UTC daily after:6h')).toMatchObject({
      days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      thresholdHours: 6,
    });
  });

  it('off, now and show', () => {
    expect(parse('#eng off')).toEqual({ kind: 'digest', action: 'off', channel: { id: null, name: 'eng' } });
    expect(parse('<#C123|eng> NOW')).toEqual({ kind: 'digest', action: 'now', channel: CHANNEL });
    expect(parse('#eng')).toEqual({ kind: 'digest', action: 'show', channel: { id: null, name: 'eng' } });
  });

  it.each([
    ['', 'Name the channel'],
    ['eng!! 09:30 Europe/Berlin', 'is not a channel'],
    ['#eng 24:00 Europe/Berlin', 'is not a time'],
    ['#eng 9:60 Europe/Berlin', 'is not a time'],
    ['#eng 09:30', 'Name the time zone'],
    ['#eng 09:30 Europe/Atlantis', 'is not a time zone I know'],
    ['#eng 09:30 CET', 'is not a time zone I know'],
    ['#eng 09:30 Europe/Berlin sundays', 'is not a choice of days'],
    ['#eng 09:30 Europe/Berlin mon,funday', 'is not a choice of days'],
    ['#eng 09:30 Europe/Berlin after:0h', 'from 1h to 28d'],
    ['#eng 09:30 Europe/Berlin after:29d', 'from 1h to 28d'],
    ['#eng 09:30 Europe/Berlin after:soon', 'is not a threshold'],
    ['#eng 09:30 Europe/Berlin after:1d after:2d', 'Name `after:` once'],
    ['#eng 09:30 Europe/Berlin daily weekdays', 'Name the days once'],
    ['#eng off please', 'takes nothing after it'],
  ])('refuses %j with a clear reason and the usage', (text, reason) => {
    const parsed = parse(text);
    expect(parsed.kind).toBe('usage_error');
    if (parsed.kind === 'usage_error') {
      expect(parsed.message).toContain(reason);
      expect(parsed.message).toContain('/notify digest #channel HH:MM Area/City');
    }
  });

  it('is a /notify subcommand, named with the configured command in its texts and in help', () => {
    expect(parseCommand('DIGEST #eng now', '/prs')).toEqual({
      kind: 'digest',
      action: 'now',
      channel: { id: null, name: 'eng' },
    });
    const bad = parseCommand('digest #eng 25:00 UTC', '/prs');
    expect(bad.kind === 'usage_error' && bad.message).toContain('`/prs digest #channel HH:MM Area/City');
    expect(renderUsage('/prs')).toContain(
      '`/prs digest #channel HH:MM Area/City [weekdays|daily|mon,tue,…] [after:24h]`',
    );
  });
});
