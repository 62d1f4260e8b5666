/**
 * How a value becomes a Secret Manager secret, shared by `npm run deploy` (which runs it) and the GitHub App setup
 * page (which shows it), so the two always agree. Secrets are named after the variable they feed; the value goes
 * through stdin (`--data-file=-`), never on a command line.
 */
export function secretCreateArgs(options: { name: string; project: string }): string[] {
  return [
    'secrets',
    'create',
    options.name,
    '--data-file=-',
    '--replication-policy=automatic',
    `--project=${options.project}`,
  ];
}

/** POSIX shell single quoting: safe for any value, newlines included (a PEM stays one argument). */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Copy-paste lines that store each value as a secret; `project` null leaves a placeholder to fill in. */
export function renderSecretCreateCommands(options: {
  values: Array<{ name: string; value: string }>;
  project: string | null;
}): string[] {
  const project = options.project ?? 'PROJECT_ID';
  return options.values.map(
    ({ name, value }) =>
      `printf '%s' ${shellQuote(value)} | gcloud ${secretCreateArgs({ name, project }).map(shellQuote).join(' ')}`,
  );
}
