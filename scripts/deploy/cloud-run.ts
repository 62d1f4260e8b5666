import type { DeployOptions } from './options.js';
import type { SecretState } from './secrets.js';
import type { Shell } from './shell.js';

/**
 * CPU between requests. The job worker runs in the background: after GitHub's delivery is answered (202), fan-out
 * and Slack posting go on, and retries wake up minutes later with no request in flight. With Cloud Run's default
 * (CPU only during requests) that work would stall until the next request, so the service keeps its CPU
 * (`--no-cpu-throttling`, instance-based billing) and one instance always up (`--min-instances=1`), so jobs are
 * picked up with no traffic at all.
 *
 * Cost, at Cloud Run's published Tier 1 prices for instance-based billing (checked in a stored copy of
 * cloud.google.com/run/pricing): $0.000018 per vCPU-second; memory about $0.000002 per GiB-second (that figure
 * could not be verified here). One instance of 1 vCPU and 512 MiB for a 30-day month: 2,592,000 vCPU-s ≈ $46.66
 * plus 1,296,000 GiB-s ≈ $2.59, about $49 a month; the monthly free tier (240,000 vCPU-s and 450,000 GiB-s per
 * billing account) takes off about $5, so about $44 a month in a Tier 1 region (more in Tier 2 regions).
 */
export const ALWAYS_ON_FLAGS = ['--no-cpu-throttling', '--min-instances=1', '--cpu=1', '--memory=512Mi'];
export const MONTHLY_COST_NOTE =
  'about $44 a month in a Tier 1 region (1 vCPU, 512 MiB, always on, after the free tier)';

export async function serviceUrl(shell: Shell, deploy: DeployOptions): Promise<string | null> {
  const res = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: [
      'run',
      'services',
      'describe',
      deploy.service,
      `--region=${deploy.region}`,
      `--project=${deploy.project}`,
      '--format=value(status.url)',
    ],
  });
  const url = res.stdout.trim();
  return res.ok && /^https:\/\/\S+$/.test(url) ? url : null;
}

/**
 * `gcloud run deploy --source .` (Cloud Build builds the Dockerfile) with every variable of src/config.ts: plain
 * values, and the secrets by reference (`NAME=NAME:latest`). A required value nobody has given yet gets a random
 * stand-in so the service starts; a later run replaces it with the secret (--set-env-vars replaces the whole list
 * before the secrets are applied, so a stand-in can become a secret reference).
 */
export async function deployService(options: {
  shell: Shell;
  deploy: DeployOptions;
  baseUrl: string;
  serviceAccount: string;
  secrets: SecretState[];
}): Promise<void> {
  const { shell, deploy, baseUrl, serviceAccount, secrets } = options;
  const values: Array<[string, string]> = [
    ['NODE_ENV', 'production'],
    ['GOOGLE_CLOUD_PROJECT', deploy.project],
    ['BASE_URL', baseUrl],
    ...secrets.flatMap((s): Array<[string, string]> => (s.status === 'missing' ? [[s.name, s.placeholder]] : [])),
  ];
  const secretRefs = secrets
    .filter((s) => s.status === 'exists' || s.status === 'created')
    .map((s) => `${s.name}=${s.name}:latest`);
  for (const [name, value] of values) {
    if (value.includes(',')) throw new Error(`${name} contains a comma, which gcloud's --set-env-vars cannot take`);
  }
  await shell.run({
    program: 'gcloud',
    kind: 'change',
    args: [
      'run',
      'deploy',
      deploy.service,
      '--source=.',
      `--region=${deploy.region}`,
      `--project=${deploy.project}`,
      `--service-account=${serviceAccount}`,
      '--allow-unauthenticated',
      ...ALWAYS_ON_FLAGS,
      `--set-env-vars=${values.map(([k, v]) => `${k}=${v}`).join(',')}`,
      ...(secretRefs.length > 0 ? [`--set-secrets=${secretRefs.join(',')}`] : []),
      '--quiet',
    ],
  });
}

/** The first deploy had to guess BASE_URL; once Cloud Run has said the URL, set it if the guess was wrong. */
export async function fixBaseUrl(options: { shell: Shell; deploy: DeployOptions; guessed: string }): Promise<string> {
  const { shell, deploy, guessed } = options;
  const actual = (await serviceUrl(shell, deploy)) ?? guessed;
  if (actual !== guessed) {
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: [
        'run',
        'services',
        'update',
        deploy.service,
        `--region=${deploy.region}`,
        `--project=${deploy.project}`,
        `--update-env-vars=BASE_URL=${actual}`,
        '--quiet',
      ],
    });
  }
  return actual;
}
