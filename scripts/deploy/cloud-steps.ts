import { toRecord } from '../../src/shared/json-reader.js';
import type { DeployOptions } from './options.js';
import type { Shell } from './shell.js';

/** Cloud Run (and its source builds), Firestore and its rules, Secret Manager, IAM, Cloud Logging. */
const APIS = [
  'run.googleapis.com',
  'cloudbuild.googleapis.com',
  'artifactregistry.googleapis.com',
  'firestore.googleapis.com',
  'firebaserules.googleapis.com',
  'secretmanager.googleapis.com',
  'iam.googleapis.com',
  'logging.googleapis.com',
];

/** Collections whose documents expire (`expire_at`); firestore.indexes.json declares the same TTL policies. */
export const TTL_COLLECTIONS = [
  'oauth_states',
  'deliveries',
  'delivery_bodies',
  'jobs',
  'access_grants',
  'digest_runs',
  'queue_members',
];

/** The service's own identity: Firestore, its secrets and log writing, nothing else. */
export const PROJECT_ROLES = ['roles/datastore.user', 'roles/logging.logWriter'];
export const SECRET_ROLE = 'roles/secretmanager.secretAccessor';

export function serviceAccountEmail(deploy: DeployOptions): string {
  return `${deploy.service}-run@${deploy.project}.iam.gserviceaccount.com`;
}

/** The project number, for the service's URL before it exists; `PROJECT_NUMBER` in a dry run. */
export async function projectNumber(shell: Shell, deploy: DeployOptions): Promise<string> {
  const res = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: ['projects', 'describe', deploy.project, '--format=value(projectNumber)'],
  });
  if (shell.dryRun) return 'PROJECT_NUMBER';
  const number = res.stdout.trim();
  if (!res.ok || !/^\d+$/.test(number))
    throw new Error(`project ${deploy.project} was not found, or this account cannot see it (gcloud auth login?)`);
  return number;
}

export async function enableApis(shell: Shell, deploy: DeployOptions): Promise<void> {
  const res = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: ['services', 'list', '--enabled', `--project=${deploy.project}`, '--format=value(config.name)'],
  });
  const enabled = new Set(res.stdout.split(/\s+/).filter(Boolean));
  const missing = APIS.filter((api) => !enabled.has(api));
  if (missing.length === 0) return;
  await shell.run({
    program: 'gcloud',
    kind: 'change',
    args: ['services', 'enable', ...missing, `--project=${deploy.project}`],
  });
}

export async function ensureFirestore(shell: Shell, deploy: DeployOptions): Promise<void> {
  const db = ['--database=(default)', `--project=${deploy.project}`];
  const found = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: ['firestore', 'databases', 'describe', ...db, '--format=value(name)'],
  });
  if (!found.ok) {
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: [
        'firestore',
        'databases',
        'create',
        ...db,
        `--location=${deploy.firestoreLocation}`,
        '--type=firestore-native',
      ],
    });
  }
  // Rules deny every client (the server uses the Admin SDK); indexes as firestore.indexes.json lists them. Both
  // deploys replace what is there with the same files, so running them again changes nothing.
  await shell.run({
    program: 'npx',
    kind: 'change',
    args: [
      'firebase',
      'deploy',
      '--only',
      'firestore:rules,firestore:indexes',
      '--project',
      deploy.project,
      '--non-interactive',
    ],
  });
  for (const collection of TTL_COLLECTIONS) {
    const field = ['expire_at', `--collection-group=${collection}`, `--project=${deploy.project}`];
    const ttl = await shell.run({
      program: 'gcloud',
      kind: 'check',
      args: ['firestore', 'indexes', 'fields', 'describe', ...field, '--format=value(ttlConfig.state)'],
    });
    if (ttl.ok && ['ACTIVE', 'CREATING'].includes(ttl.stdout.trim())) continue;
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: ['firestore', 'fields', 'ttls', 'update', ...field, '--enable-ttl', '--async'],
    });
  }
}

export async function ensureServiceAccount(shell: Shell, deploy: DeployOptions): Promise<string> {
  const email = serviceAccountEmail(deploy);
  const found = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: ['iam', 'service-accounts', 'describe', email, `--project=${deploy.project}`, '--format=value(email)'],
  });
  if (!found.ok) {
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: [
        'iam',
        'service-accounts',
        'create',
        `${deploy.service}-run`,
        '--display-name=PR Notifier on Cloud Run',
        `--project=${deploy.project}`,
      ],
    });
  }
  const member = `serviceAccount:${email}`;
  const policy = await shell.run({
    program: 'gcloud',
    kind: 'check',
    args: ['projects', 'get-iam-policy', deploy.project, '--format=json'],
  });
  for (const role of PROJECT_ROLES) {
    if (hasBinding(policy.stdout, role, member)) continue;
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: [
        'projects',
        'add-iam-policy-binding',
        deploy.project,
        `--member=${member}`,
        `--role=${role}`,
        '--condition=None',
        '--format=none',
      ],
    });
  }
  return email;
}

/** Read access to exactly the secrets the service uses, one binding per secret (not project-wide). */
export async function grantSecretAccess(shell: Shell, deploy: DeployOptions, secrets: string[]): Promise<void> {
  const member = `serviceAccount:${serviceAccountEmail(deploy)}`;
  for (const name of secrets) {
    const policy = await shell.run({
      program: 'gcloud',
      kind: 'check',
      args: ['secrets', 'get-iam-policy', name, `--project=${deploy.project}`, '--format=json'],
    });
    if (hasBinding(policy.stdout, SECRET_ROLE, member)) continue;
    await shell.run({
      program: 'gcloud',
      kind: 'change',
      args: [
        'secrets',
        'add-iam-policy-binding',
        name,
        `--member=${member}`,
        `--role=${SECRET_ROLE}`,
        `--project=${deploy.project}`,
        '--format=none',
      ],
    });
  }
}

/** True when an IAM policy (gcloud's JSON) grants `role` to `member`. */
function hasBinding(policyJson: string, role: string, member: string): boolean {
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return false;
  }
  const bindings = toRecord(policy)['bindings'];
  if (!Array.isArray(bindings)) return false;
  return bindings.some((b) => {
    const { role: r, members } = toRecord(b);
    return r === role && Array.isArray(members) && members.includes(member);
  });
}
