import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/slack/commands/parse-command.js';

describe('parseCommand', () => {
  it('reads every subcommand of the contract', () => {
    expect(parseCommand('', '/notify')).toEqual({ kind: 'help' });
    expect(parseCommand('  HELP ', '/notify')).toEqual({ kind: 'help' });
    expect(parseCommand('link', '/notify')).toEqual({ kind: 'link' });
    expect(parseCommand('unlink', '/notify')).toEqual({ kind: 'unlink' });
    expect(parseCommand('status', '/notify')).toEqual({ kind: 'status' });
    expect(parseCommand('list', '/notify')).toEqual({ kind: 'list' });
    expect(parseCommand('notifications OFF', '/notify')).toEqual({ kind: 'notifications', enabled: false });
    expect(parseCommand('notifications on', '/notify')).toEqual({ kind: 'notifications', enabled: true });
  });

  it('reads channels picked from the autocomplete and typed names', () => {
    expect(parseCommand('channel <#C0123ABC|eng-prs>', '/notify')).toEqual({
      kind: 'channel',
      channel: { id: 'C0123ABC', name: 'eng-prs' },
    });
    expect(parseCommand('channel <#G0123ABC>', '/notify')).toEqual({
      kind: 'channel',
      channel: { id: 'G0123ABC', name: null },
    });
    expect(parseCommand('channel #Eng-PRs', '/notify')).toEqual({
      kind: 'channel',
      channel: { id: null, name: 'eng-prs' },
    });
  });

  it('reads subscribe with and without a channel, and pasted repository URLs', () => {
    expect(parseCommand('subscribe octo-org/hello-world', '/notify')).toEqual({
      kind: 'subscribe',
      repos: [{ owner: 'octo-org', name: 'hello-world', fullName: 'octo-org/hello-world' }],
      channel: null,
    });
    expect(parseCommand('subscribe <https://github.com/octo/my.repo_1> <#C1234|prs>', '/notify')).toEqual({
      kind: 'subscribe',
      repos: [{ owner: 'octo', name: 'my.repo_1', fullName: 'octo/my.repo_1' }],
      channel: { id: 'C1234', name: 'prs' },
    });
    expect(parseCommand('unsubscribe Octo/Hello', '/notify')).toEqual({
      kind: 'unsubscribe',
      repos: [{ owner: 'Octo', name: 'Hello', fullName: 'Octo/Hello' }],
    });
  });

  it('turns bad input into a usage error that says what was wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['frobnicate', /don't know `frobnicate`/],
      ['subscribe', /owner\/repo/],
      ['subscribe not_a_repo', /write it as `owner\/repo`/],
      ['subscribe -bad/repo', /not a valid GitHub owner/],
      ['subscribe a/b/c', /write it as `owner\/repo`/],
      ['subscribe octo/..', /not a valid GitHub repository/],
      ['subscribe octo/x ##', /not a channel/],
      ['channel', /one channel/],
      ['channel #a #b', /one channel/],
      ['notifications maybe', /on.*off/],
      ['link extra', /takes no arguments/],
    ];
    for (const [text, message] of cases) {
      const parsed = parseCommand(text, '/notify');
      expect(parsed.kind, text).toBe('usage_error');
      expect(parsed.kind === 'usage_error' ? parsed.message : '', text).toMatch(message);
    }
  });
});

describe('parseCommand: people’s and channels’ choices', () => {
  it('reads reviews, news and settings in any letter case', () => {
    expect(parseCommand('reviews thread', '/notify')).toEqual({ kind: 'reviews', delivery: 'thread' });
    expect(parseCommand('Reviews DM', '/notify')).toEqual({ kind: 'reviews', delivery: 'dm' });
    expect(parseCommand('reviews off', '/notify')).toEqual({ kind: 'reviews', delivery: 'off' });
    expect(parseCommand('news off', '/notify')).toEqual({ kind: 'news', enabled: false });
    expect(parseCommand('NEWS On', '/notify')).toEqual({ kind: 'news', enabled: true });
  });

  it('reads settings for this channel or a named one, shown or changed', () => {
    expect(parseCommand('settings', '/notify')).toEqual({ kind: 'settings', channel: null });
    expect(parseCommand('settings threads:OFF', '/notify')).toEqual({
      kind: 'settings',
      channel: null,
      threads: false,
    });
    expect(parseCommand('settings <#C0123ABC|eng-prs>', '/notify')).toEqual({
      kind: 'settings',
      channel: { id: 'C0123ABC', name: 'eng-prs' },
    });
    expect(parseCommand('settings #Eng-PRs threads:on', '/notify')).toEqual({
      kind: 'settings',
      channel: { id: null, name: 'eng-prs' },
      threads: true,
    });
  });

  it('answers bad choices with a usage error that says what was wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['reviews', /reviews thread.*reviews dm.*reviews off/],
      ['reviews email', /reviews thread/],
      ['reviews dm off', /reviews thread/],
      ['news', /news on.*news off/],
      ['news maybe', /news on/],
      ['settings threads:maybe', /`threads:on` or `threads:off`/],
      ['settings threads on', /`threads:on` or `threads:off`/],
      ['settings #prs digest:on', /`digest:on` is not a setting/],
      ['settings #prs threads:on threads:off', /`threads:` once/],
      ['settings threads:on #prs', /don't understand `#prs` here/],
      ['settings ## threads:on', /not a channel/],
    ];
    for (const [text, expected] of cases) {
      const parsed = parseCommand(text, '/notify');
      expect(parsed.kind, text).toBe('usage_error');
      if (parsed.kind === 'usage_error') expect(parsed.message, text).toMatch(expected);
    }
  });
});
