import { describe, expect, it } from 'vitest';
import { surelyNotPosted } from '../../src/digest/send-digest.js';
import { SlackCallError, type SlackFailureKind } from '../../src/pipeline/ports.js';

const failure = (code: string, kind: SlackFailureKind) =>
  new SlackCallError({ code, kind, method: 'chat.postMessage' });

/*
 * A digest's first post that failed is given back for a retry only when Slack surely stored nothing: otherwise the
 * retry could post a second digest that day. The same rule as a PR message's post claim (post-once.ts).
 */
describe('whether a failed digest post surely posted nothing', () => {
  it('Slack’s refusals posted nothing', () => {
    expect(surelyNotPosted(failure('channel_not_found', 'channel'))).toBe(true);
    expect(surelyNotPosted(failure('invalid_auth', 'token'))).toBe(true);
    expect(surelyNotPosted(failure('ratelimited', 'rate_limited'))).toBe(true);
    expect(surelyNotPosted(failure('invalid_blocks', 'transient'))).toBe(true);
  });

  it('Slack’s own failures may have stored the message, and a call with no answer may still land', () => {
    for (const code of ['internal_error', 'fatal_error', 'service_unavailable', 'missing_ts'])
      expect(surelyNotPosted(failure(code, 'transient')), code).toBe(false);
    expect(surelyNotPosted(failure('request_failed', 'transient'))).toBe(false);
    expect(surelyNotPosted(failure('http_503', 'transient'))).toBe(false);
    expect(surelyNotPosted(new Error('socket hang up'))).toBe(false);
  });
});
