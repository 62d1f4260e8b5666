import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, toBoltLogger } from '../../src/log.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('redacts tokens, secrets and signature headers wherever they appear', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.child({ team_id: 'T1' }).info({
      token: 'xoxb-plain', bot: { token: 'xoxb-nested' }, clientSecret: 's3cret',
      req: { headers: { authorization: 'Bearer ghp_abc', 'x-hub-signature-256': 'sha256=abc', 'x-slack-signature': 'v0=abc' } },
      installation: { bot: { token: 'xoxb-deep' } },
    }, 'hello');
    const text = JSON.stringify(out.lines());
    for (const secret of ['xoxb-plain', 'xoxb-nested', 's3cret', 'ghp_abc', 'sha256=abc', 'v0=abc', 'xoxb-deep']) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ team_id: 'T1', msg: 'hello' });
  });

  it('keeps error codes readable: they tell an operator what Slack refused', () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream }).warn({ code: 'channel_not_found', err: { code: 'slack_webapi_platform_error' } }, 'refused');
    expect(out.lines()[0]).toMatchObject({ code: 'channel_not_found', err: { code: 'slack_webapi_platform_error' } });
  });
});

describe('Slack SDK log lines', () => {
  it('lose token- and secret-shaped values, whatever their form', () => {
    const out = capture();
    const bolt = toBoltLogger(createLogger({ level: 'debug', destination: out.stream }));
    bolt.debug('http request body', 'client_id=1.2&client_secret=abc123&code=tmpcode&redirect_uri=x');
    bolt.debug({ token: 'xoxb-111-222-abc', headers: { Authorization: 'Bearer xoxp-9-9' } });
    bolt.info('used gho_16CharTokenValue and "refresh_token":"xoxe-1-abc"');
    const text = JSON.stringify(out.lines());
    for (const secret of ['abc123', 'tmpcode', 'xoxb-111-222-abc', 'xoxp-9-9', 'gho_16CharTokenValue', 'xoxe-1-abc']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('client_id=1.2');
    expect(out.lines()).toHaveLength(3);
  });
});
