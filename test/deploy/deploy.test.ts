import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createFakeCloud, FAKE_SERVICE_URL, fakeCloudEnv, type FakeCloud } from './fake-cloud-cli.js';

/**
 * `npm run deploy` against a recording fake `gcloud`/`npx` first on PATH: nothing reaches Google Cloud. What the
 * service is given is checked with the app's own loadConfig, so the list of required variables is src/config.ts's.
 */
const PROJECT = 'demo-project-42';
const REGION = 'europe-west1';

const SLACK_VALUES = {
  SLACK_CLIENT_ID: '1234567890.9876543210',
  SLACK_CLIENT_SECRET: randomBytes(16).toString('hex'),
  SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
};
const GITHUB_VALUES = {
  GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
  GITHUB_CLIENT_ID: 'Iv23liAbCdEf012345',
  GITHUB_CLIENT_SECRET: randomBytes(20).toString('hex'),
};

function runDeploy(
  cloud: FakeCloud,
  options: { env?: Record<string, string>; args?: string[] } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/deploy.ts', '--project', PROJECT, '--region', REGION, ...(options.args ?? [])],
      {
        env: { HOME: process.env['HOME'] ?? '', ...fakeCloudEnv(cloud), ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** The variables config.ts requires in production: every "X is missing" of an empty production environment. */
function requiredVariables(): string[] {
  try {
    loadConfig({ NODE_ENV: 'production' });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.flatMap((p) => /^([A-Z_]+) is missing/.exec(p)?.[1] ?? []);
  }
  throw new Error('an empty production environment was accepted');
}

/** The environment the Cloud Run service starts with: its plain values, and its secrets read from Secret Manager. */
function serviceEnv(cloud: FakeCloud): Record<string, string> {
  const { service, secrets } = cloud.state();
  if (!service) throw new Error('no service was deployed');
  const fromSecrets = Object.fromEntries(
    Object.entries(service.secrets).map(([name, ref]) => [name, secrets[ref.split(':')[0]!]!]),
  );
  return { ...service.env, ...fromSecrets };
}

const CHANGES = /\b(create|enable|add-iam-policy-binding|update|versions)\b/;
const changesIn = (calls: ReturnType<FakeCloud['calls']>) =>
  calls.filter((c) => c.program === 'gcloud' && CHANGES.test(c.args.filter((a) => !a.startsWith('--')).join(' ')));

describe('npm run deploy', () => {
  it('creates everything on a fresh project, gives the service every variable it needs, and creates nothing on a second run', async () => {
    const cloud = createFakeCloud();
    const first = await runDeploy(cloud, { env: { ...SLACK_VALUES, ...GITHUB_VALUES } });
    expect(first.code, first.out).toBe(0);

    const env = serviceEnv(cloud);
    for (const name of requiredVariables()) expect(env, name).toHaveProperty(name);
    const config = loadConfig(env);
    expect(config.baseUrl).toBe(FAKE_SERVICE_URL);
    expect(config.firestore).toEqual({ kind: 'cloud', projectId: PROJECT, databaseId: '(default)' });
    expect(config.slack.signingSecret).toBe(SLACK_VALUES.SLACK_SIGNING_SECRET);
    expect(config.github.webhookSecret).toBe(GITHUB_VALUES.GITHUB_WEBHOOK_SECRET);
    // Everything secret comes from Secret Manager, nothing secret is a plain value.
    expect(Object.keys(cloud.state().service!.env).sort()).toEqual(['BASE_URL', 'GOOGLE_CLOUD_PROJECT', 'NODE_ENV']);
    expect(cloud.state().service!.flags).toEqual(
      expect.arrayContaining(['--no-cpu-throttling', '--min-instances=1', '--allow-unauthenticated']),
    );

    const calls = cloud.calls();
    // Each secret is created before anything uses it (its access grant, the deploy that reads it).
    for (const name of Object.keys(cloud.state().service!.secrets)) {
      const created = calls.findIndex((c) => c.args.join(' ').startsWith(`secrets create ${name} `));
      const used = calls.findIndex(
        (c) =>
          c.args.join(' ').startsWith(`secrets add-iam-policy-binding ${name} `) ||
          (c.args[0] === 'run' && c.args.some((a) => a.startsWith('--set-secrets=') && a.includes(`${name}=`))),
      );
      expect(created, name).toBeGreaterThanOrEqual(0);
      expect(created, name).toBeLessThan(used);
    }
    // The service account gets only its roles: Firestore, log writing, and read access to each of its secrets.
    expect(cloud.state().projectIam).toEqual({
      'roles/datastore.user': [`serviceAccount:pr-notifier-run@${PROJECT}.iam.gserviceaccount.com`],
      'roles/logging.logWriter': [`serviceAccount:pr-notifier-run@${PROJECT}.iam.gserviceaccount.com`],
    });
    expect(Object.keys(cloud.state().secretIam).sort()).toEqual(Object.keys(cloud.state().service!.secrets).sort());
    expect(cloud.state().ttls.sort()).toEqual([
      'access_grants',
      'deliveries',
      'delivery_bodies',
      'digest_runs',
      'jobs',
      'oauth_states',
      'queue_members',
    ]);
    expect(
      calls.some(
        (c) =>
          c.program === 'npx' &&
          c.args.join(' ') ===
            `firebase deploy --only firestore:rules,firestore:indexes --project ${PROJECT} --non-interactive`,
      ),
    ).toBe(true);
    // Secret values travel on stdin only: never in an argument, never in the output.
    for (const value of [
      ...Object.values(SLACK_VALUES).slice(1),
      ...Object.values(GITHUB_VALUES),
      env['TOKEN_ENCRYPTION_KEY']!,
      env['SLACK_STATE_SECRET']!,
    ]) {
      expect(calls.some((c) => c.args.join(' ').includes(value))).toBe(false);
      expect(first.out).not.toContain(value);
    }
    // The URLs to paste into Slack and GitHub.
    for (const path of [
      '/slack/oauth_redirect',
      '/slack/oidc/callback',
      '/slack/events',
      '/github/webhooks',
      '/github/oauth/callback',
    ]) {
      expect(first.out).toContain(`${FAKE_SERVICE_URL}${path}`);
    }

    const before = calls.length;
    const second = await runDeploy(cloud, { env: { ...SLACK_VALUES, ...GITHUB_VALUES } });
    expect(second.code, second.out).toBe(0);
    const again = cloud.calls().slice(before);
    expect(changesIn(again).map((c) => c.args.slice(0, 3).join(' '))).toEqual([]);
    expect(again.filter((c) => c.args[0] === 'run' && c.args[1] === 'deploy')).toHaveLength(1);
    expect(serviceEnv(cloud)).toEqual(env);
  }, 60_000);

  it('--dry-run prints every command, runs none, and the deploy it prints provides every required variable', async () => {
    const cloud = createFakeCloud();
    const dry = await runDeploy(cloud, { args: ['--dry-run'], env: SLACK_VALUES });
    expect(dry.code, dry.out).toBe(0);
    expect(cloud.calls()).toEqual([]);
    for (const step of [
      'services enable',
      'firestore databases create',
      'firebase deploy --only firestore:rules,firestore:indexes',
      'firestore fields ttls update expire_at --collection-group=jobs',
      'secrets create TOKEN_ENCRYPTION_KEY',
      'iam service-accounts create',
      'projects add-iam-policy-binding',
      'secrets add-iam-policy-binding',
      'run deploy pr-notifier --source=.',
    ]) {
      expect(dry.out).toContain(step);
    }
    const deployLine = dry.out.split('\n').find((l) => l.includes('gcloud run deploy'))!;
    const listed = (flag: string) =>
      (new RegExp(`${flag}=(\\S+)`).exec(deployLine)?.[1] ?? '').split(',').map((p) => p.split('=')[0]!);
    const provided = [...listed('--set-env-vars'), ...listed('--set-secrets')];
    for (const name of requiredVariables()) expect(provided, name).toContain(name);
    expect(dry.out).not.toContain(SLACK_VALUES.SLACK_CLIENT_SECRET);
  }, 60_000);

  it('without GitHub values the service still starts (for the GitHub App setup page), says what is missing, and takes the secrets on the next run', async () => {
    const cloud = createFakeCloud();
    const first = await runDeploy(cloud, { env: SLACK_VALUES });
    expect(first.code, first.out).toBe(0);
    const config = loadConfig(serviceEnv(cloud));
    expect(config.github.appId).toBeNull();
    for (const name of Object.keys(GITHUB_VALUES))
      expect(first.out).toMatch(new RegExp(`^  ${name}: create the GitHub App with this service's setup page`, 'm'));
    expect(first.out).toContain(`${FAKE_SERVICE_URL}/github/app-setup`);

    // The operator runs the setup page's commands (secrets created by hand), then deploys again.
    const pem = (await import('node:crypto'))
      .generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    for (const [name, value] of Object.entries({
      ...GITHUB_VALUES,
      GITHUB_APP_ID: '900001',
      GITHUB_APP_PRIVATE_KEY: pem,
    }))
      cloud.addSecret(name, value);
    const second = await runDeploy(cloud, { env: SLACK_VALUES });
    expect(second.code, second.out).toBe(0);
    expect(Object.keys(cloud.state().service!.env).sort()).toEqual(['BASE_URL', 'GOOGLE_CLOUD_PROJECT', 'NODE_ENV']);
    const configured = loadConfig(serviceEnv(cloud));
    expect(configured.github.appId).toBe('900001');
    expect(configured.github.webhookSecret).toBe(GITHUB_VALUES.GITHUB_WEBHOOK_SECRET);
    expect(second.out).not.toContain('Still missing');
    expect(second.out).not.toContain('/github/app-setup');
  }, 60_000);
});
