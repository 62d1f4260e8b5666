/**
 * npm run deploy -- --project P --region R [--dry-run]
 *
 * Puts PR Notifier on Google Cloud, creating only what is missing, so it is safe to run again: the APIs, the
 * Firestore database with its rules, indexes and TTL policies, the secrets, a service account with only the roles
 * the service needs, and the Cloud Run service built from the Dockerfile. Every step checks first (describe/list)
 * and changes only what it found missing. --dry-run prints every command and runs none. Needs `gcloud` (logged in)
 * and firebase-tools (a dev dependency, run through npx).
 */
import { askSecret } from './deploy/ask-secret.js';
import { ALWAYS_ON_FLAGS, deployService, fixBaseUrl, MONTHLY_COST_NOTE, serviceUrl } from './deploy/cloud-run.js';
import {
  enableApis,
  ensureFirestore,
  ensureServiceAccount,
  grantSecretAccess,
  projectNumber,
} from './deploy/cloud-steps.js';
import { parseDeployArgs } from './deploy/options.js';
import { ensureSecrets, storedSecrets } from './deploy/secrets.js';
import { createShell } from './deploy/shell.js';
import { renderSummary } from './deploy/summary.js';

async function main(): Promise<void> {
  const deploy = parseDeployArgs(process.argv.slice(2));
  const shell = createShell({ dryRun: deploy.dryRun, out: (text) => process.stdout.write(`${text}\n`) });
  const step = (title: string) => shell.say(`\n== ${title}`);
  if (deploy.dryRun)
    shell.say('Dry run: every command is printed (? checks, $ changes) and none is run; checks count as "not found".');

  step('Project');
  const number = await projectNumber(shell, deploy);
  step('APIs');
  await enableApis(shell, deploy);
  step('Firestore (Native mode): database, rules, indexes, TTL policies');
  await ensureFirestore(shell, deploy);
  step('Secrets (Secret Manager)');
  const ask = !deploy.noInput && process.stdin.isTTY ? askSecret : null;
  const secrets = await ensureSecrets({ shell, deploy, env: process.env, ask });
  step('Service account and its roles');
  const serviceAccount = await ensureServiceAccount(shell, deploy);
  await grantSecretAccess(shell, deploy, storedSecrets(secrets));

  step(`Cloud Run (${ALWAYS_ON_FLAGS.join(' ')})`);
  const existing = await serviceUrl(shell, deploy);
  // BASE_URL must be the service's own URL (OAuth redirect URLs are built from it), which Cloud Run gives only once
  // the service exists: a first deploy uses the URL Cloud Run derives from the project number, then reads the real
  // one and sets it if it differs.
  const guessed = existing ?? `https://${deploy.service}-${number}.${deploy.region}.run.app`;
  await deployService({ shell, deploy, baseUrl: guessed, serviceAccount, secrets });
  const url = existing ?? (await fixBaseUrl({ shell, deploy, guessed }));

  shell.say(renderSummary({ deploy, url, secrets, costNote: MONTHLY_COST_NOTE }));
}

main().catch((err: unknown) => {
  process.stderr.write(`deploy stopped: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
