import { randomBytes } from 'node:crypto';
import { secretCreateArgs } from '../../src/github-app-setup/secret-commands.js';
import type { DeployOptions } from './options.js';
import { PAIRED_SECRETS, SECRET_SPECS, type SecretSpec } from './secret-specs.js';
import type { Shell } from './shell.js';

export type SecretState =
  | { name: string; status: 'exists' | 'created' }
  /** Required but unknown: the service gets a random stand-in so it starts (and can serve the GitHub App setup page). */
  | { name: string; status: 'missing'; placeholder: string; spec: SecretSpec }
  /** Optional and unknown (or half of a pair): not set at all. */
  | { name: string; status: 'absent'; spec: SecretSpec };

/**
 * Makes sure each secret exists: kept if it does; else created from the deploy's environment (a variable of the
 * same name), generated where the app can make it, or asked for on a terminal. What is still unknown is reported.
 */
export async function ensureSecrets(options: {
  shell: Shell;
  deploy: DeployOptions;
  env: Record<string, string | undefined>;
  ask: ((prompt: string) => Promise<string>) | null;
}): Promise<SecretState[]> {
  const { shell, deploy, env, ask } = options;
  const states: SecretState[] = [];
  for (const spec of SECRET_SPECS) {
    const { name } = spec;
    const found = await shell.run({
      program: 'gcloud',
      kind: 'check',
      args: ['secrets', 'describe', name, `--project=${deploy.project}`, '--format=value(name)'],
    });
    if (found.ok) {
      states.push({ name, status: 'exists' });
      continue;
    }
    const given = env[name]?.trim();
    const value = given || spec.generate?.() || (ask && !shell.dryRun ? await ask(`${name} (Enter to skip): `) : '');
    if (value) {
      const label = given
        ? `$${name} from the environment`
        : spec.generate
          ? '32 random bytes made here'
          : 'the value typed in';
      await shell.run({
        program: 'gcloud',
        kind: 'change',
        args: secretCreateArgs({ name, project: deploy.project }),
        stdin: { value, label },
      });
      states.push({ name, status: 'created' });
    } else if (spec.required) {
      states.push({ name, status: 'missing', spec, placeholder: `not-set-${randomBytes(16).toString('hex')}` });
    } else {
      states.push({ name, status: 'absent', spec });
    }
  }
  return dropHalfPairs(states, shell);
}

function dropHalfPairs(states: SecretState[], shell: Shell): SecretState[] {
  const present = (name: string) =>
    states.some((s) => s.name === name && (s.status === 'exists' || s.status === 'created'));
  if (PAIRED_SECRETS.every(present) || !PAIRED_SECRETS.some(present)) return states;
  shell.say(
    `  ! ${PAIRED_SECRETS.join(' and ')} go together and only one is stored: the service gets neither until both are.`,
  );
  return states.map((s) =>
    isPaired(s.name) && s.status !== 'missing' && s.status !== 'absent'
      ? { name: s.name, status: 'absent', spec: specOf(s.name) }
      : s,
  );
}

const isPaired = (name: string) => (PAIRED_SECRETS as readonly string[]).includes(name);
const specOf = (name: string): SecretSpec => SECRET_SPECS.find((s) => s.name === name)!;

export const storedSecrets = (states: SecretState[]) =>
  states.filter((s) => s.status === 'exists' || s.status === 'created').map((s) => s.name);
