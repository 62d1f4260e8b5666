import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { VALID_ENV } from '../support/valid-env.js';

const VALID = VALID_ENV;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(VALID);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.logLevel).toBe('info');
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.slack.authorizeUrl).toBe('https://slack.com/oauth/v2/authorize');
    expect(config.slack.oidcAuthorizeUrl).toBe('https://slack.com/openid/connect/authorize');
    expect(config.github.url).toBe('https://github.com');
    expect(config.github.apiUrl).toBe('https://api.github.com');
    expect(config.github.appId).toBeNull();
    expect(config.tokenEncryptionKeys.map((k) => k.length)).toEqual([32]);
    expect(config.firestore).toEqual({
      kind: 'embedded',
      projectId: 'pr-notifier-local',
      dataDir: '.data/firestore',
      jar: null,
    });
    expect(loadConfig({ ...VALID, FIRESTORE_EMULATOR_JAR: '/opt/emu.jar' }).firestore).toMatchObject({
      kind: 'embedded',
      jar: '/opt/emu.jar',
    });
  });

  it('names every missing required variable in one error', () => {
    const problems = problemsOf({});
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'BASE_URL',
        'SLACK_CLIENT_ID',
        'SLACK_CLIENT_SECRET',
        'SLACK_SIGNING_SECRET',
        'SLACK_STATE_SECRET',
        'GITHUB_WEBHOOK_SECRET',
        'GITHUB_CLIENT_ID',
        'GITHUB_CLIENT_SECRET',
        'TOKEN_ENCRYPTION_KEY',
      ]),
    );
    expect(problems.length).toBe(9);
    for (const p of problems) expect(p).toMatch(/is missing: expected .+/);
  });

  it('reports malformed values with the expected shape and never echoes a secret', () => {
    const secretish = 'not-base64-but-very-secret!';
    const problems = problemsOf({
      ...VALID,
      PORT: 'eighty',
      BASE_URL: 'notaurl',
      LOG_LEVEL: 'loud',
      TOKEN_ENCRYPTION_KEY: secretish,
      SLACK_STATE_SECRET: 'short',
      FIRESTORE_EMULATOR_HOST: 'no port',
      GITHUB_API_URL: 'ftp://x',
    });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'BASE_URL',
      'FIRESTORE_EMULATOR_HOST',
      'GITHUB_API_URL',
      'LOG_LEVEL',
      'PORT',
      'SLACK_STATE_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]);
    expect(problems.join('\n')).not.toContain(secretish);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('rejects an encryption key that is not 32 bytes', () => {
    expect(problemsOf({ ...VALID, TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })[0]).toMatch(
      /^TOKEN_ENCRYPTION_KEY is malformed/,
    );
  });

  it('reads a comma-separated key list newest first, for rotation', () => {
    const newest = Buffer.alloc(32, 2);
    const older = Buffer.alloc(32, 1);
    const config = loadConfig({
      ...VALID,
      TOKEN_ENCRYPTION_KEY: `${newest.toString('base64')}, ${older.toString('base64')}`,
    });
    expect(config.tokenEncryptionKeys).toEqual([newest, older]);
  });

  it('names which listed key is malformed, and a repeated key, without echoing any key', () => {
    const good = Buffer.alloc(32, 3).toString('base64');
    const short = Buffer.alloc(16, 4).toString('base64');
    const [malformed] = problemsOf({ ...VALID, TOKEN_ENCRYPTION_KEY: `${good},${short}` });
    expect(malformed).toMatch(
      /^TOKEN_ENCRYPTION_KEY is malformed \(key 2 of 2\): expected .*comma-separated list.*32 random bytes base64-encoded/,
    );
    expect(malformed).not.toContain(good);
    expect(malformed).not.toContain(short);
    const [repeated] = problemsOf({ ...VALID, TOKEN_ENCRYPTION_KEY: `${good},${good}` });
    expect(repeated).toMatch(/^TOKEN_ENCRYPTION_KEY is malformed: the same key is listed twice/);
    expect(repeated).not.toContain(good);
    expect(problemsOf({ ...VALID, TOKEN_ENCRYPTION_KEY: `${good},` })[0]).toMatch(
      /^TOKEN_ENCRYPTION_KEY is malformed \(key 2 of 2\)/,
    );
  });

  it('chooses the Firestore target from the environment', () => {
    expect(loadConfig({ ...VALID, FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' }).firestore).toEqual({
      kind: 'emulator',
      host: '127.0.0.1:8080',
      projectId: 'pr-notifier-local',
    });
    expect(
      loadConfig({ ...VALID, GOOGLE_CLOUD_PROJECT: 'prod-1', FIRESTORE_DATABASE_ID: 'notifier' }).firestore,
    ).toEqual({ kind: 'cloud', projectId: 'prod-1', databaseId: 'notifier' });
    expect(loadConfig({ ...VALID, GOOGLE_CLOUD_PROJECT: 'prod-1' }).firestore).toEqual({
      kind: 'cloud',
      projectId: 'prod-1',
      databaseId: '(default)',
    });
  });

  it('is strict in production: https BASE_URL and a real Firestore target', () => {
    const problems = problemsOf({ ...VALID, NODE_ENV: 'production', BASE_URL: 'http://notifier.example.com' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['BASE_URL', 'GOOGLE_CLOUD_PROJECT']);
    expect(
      problemsOf({ ...VALID, NODE_ENV: 'production', GOOGLE_CLOUD_PROJECT: 'p', BASE_URL: 'http://127.0.0.1:3000' }),
    ).toEqual([]);
  });

  it('accepts GitHub App credentials as PEM or base64 PEM, and only as a pair', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(
      loadConfig({ ...VALID, GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: Buffer.from(pem).toString('base64') }).github
        .appPrivateKey,
    ).toBe(pem);
    expect(
      loadConfig({ ...VALID, GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).github
        .appPrivateKey,
    ).toBe(pem);
    expect(problemsOf({ ...VALID, GITHUB_APP_ID: '42' })[0]).toMatch(
      /GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY go together/,
    );
  });

  it('refuses at start-up an App private key that has the PEM lines but is not a usable RSA key', () => {
    const app = (key: string) => problemsOf({ ...VALID, GITHUB_APP_ID: '42', GITHUB_APP_PRIVATE_KEY: key });
    const malformed = /^GITHUB_APP_PRIVATE_KEY is malformed: expected the PEM text of the App private key/;
    expect(app('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n')[0]).toMatch(malformed);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(app(ec.toString())[0]).toMatch(malformed);
    expect(app('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n').join('\n')).not.toContain(
      'MIIB',
    );
  });
});
