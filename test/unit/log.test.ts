import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, toBoltLogger, traceFields } from '../../src/log.js';
import { topLevelKeys } from '../support/log-lines.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('redacts tokens, secrets and signature headers wherever they appear', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.child({ team_id: 'T1' }).info(
      {
        token: 'xoxb-plain',
        bot: { token: 'xoxb-nested' },
        clientSecret: 's3cret',
        req: {
          headers: {
            authorization: 'Bearer ghp_abc',
            'x-hub-signature-256': 'sha256=abc',
            'x-slack-signature': 'v0=abc',
          },
        },
        installation: { bot: { token: 'xoxb-deep' } },
      },
      'hello',
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ['xoxb-plain', 'xoxb-nested', 's3cret', 'ghp_abc', 'sha256=abc', 'v0=abc', 'xoxb-deep']) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ team_id: 'T1', message: 'hello' });
  });

  it("redacts a Socket Mode app token in the Slack SDK's free text", () => {
    const out = capture();
    const sdk = toBoltLogger(createLogger({ level: 'debug', destination: out.stream }));
    sdk.setLevel(LogLevel.DEBUG);
    sdk.debug('apps.connections.open with', 'Bearer xapp-1-A0123-456-abcdef0', 'token xapp-1-A0123-456-abcdef0');
    expect(out.lines()).toHaveLength(1);
    expect(JSON.stringify(out.lines())).not.toContain('xapp-1-A0123-456-abcdef0');
  });

  it('keeps error codes readable: they tell an operator what Slack refused', () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream }).warn(
      { code: 'channel_not_found', err: { code: 'slack_webapi_platform_error' } },
      'refused',
    );
    expect(out.lines()[0]).toMatchObject({ code: 'channel_not_found', err: { code: 'slack_webapi_platform_error' } });
  });
});

describe('Cloud Logging shape', () => {
  it('every line has severity, message, an ISO time and the service, with no key twice', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger({ level: 'debug', destination: stream, traceProjectId: 'proj-1' });
    log.child({ component: 'pipeline' }).warn({ team_id: 'T1' }, 'job failed, will retry');
    toBoltLogger(log).error(
      Object.assign(new Error('An API error occurred: invalid_auth'), { code: 'slack_webapi_platform_error' }),
    );
    log.info(
      { ...traceFields({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, 'proj-1') },
      'traced',
    );
    const raw = chunks.join('').trim().split('\n');
    const [job, bolt, traced] = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(job).toMatchObject({
      severity: 'WARNING',
      message: 'job failed, will retry',
      component: 'pipeline',
      serviceContext: { service: 'pr-notifier' },
    });
    expect(String(job?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(job).not.toHaveProperty('msg');
    // Bolt's Error keeps its message and code (it used to be logged as {}), with a stack for Error Reporting.
    expect(bolt).toMatchObject({
      severity: 'ERROR',
      component: 'bolt',
      err: { message: 'An API error occurred: invalid_auth', code: 'slack_webapi_platform_error' },
    });
    expect(String(bolt?.['stack_trace'] ?? (bolt?.['err'] as Record<string, unknown>)['stack'])).toContain(
      'Error: An API error occurred',
    );
    expect(traced).toMatchObject({
      'logging.googleapis.com/trace': 'projects/proj-1/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    });
    for (const line of raw) {
      const keys = topLevelKeys(line);
      expect(keys, line).toEqual([...new Set(keys)]);
    }
  });

  it("reads Cloud Run's X-Cloud-Trace-Context as well as W3C traceparent", () => {
    expect(traceFields({ cloudTrace: '105445aa7843bc8bf206b12000100000/1;o=1' }, 'proj-1')).toEqual({
      'logging.googleapis.com/trace': 'projects/proj-1/traces/105445aa7843bc8bf206b12000100000',
      'logging.googleapis.com/spanId': '0000000000000001',
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(traceFields({ traceparent: 'garbage' }, 'proj-1')).toEqual({});
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
    bolt.warn(
      'Request verification failed (code: slack_bolt_receiver_authenticity_error, message: Signature mismatch.)',
    );
    bolt.debug('{"ok":false,"code":"slack_webapi_platform_error"} then code=abc&state=x');
    const [verification, platform] = out
      .lines()
      .slice(3)
      .map((l) => String(l['message']));
    expect(verification).toContain('code: slack_bolt_receiver_authenticity_error');
    expect(platform).toContain('"code":"slack_webapi_platform_error"');
    expect(platform).not.toContain('code=abc');
  });
});
