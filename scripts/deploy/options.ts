/** `npm run deploy -- --project P --region R [--service NAME] [--firestore-location L] [--dry-run] [--no-input]` */
export interface DeployOptions {
  project: string;
  region: string;
  service: string;
  firestoreLocation: string;
  dryRun: boolean;
  /** Never ask on the terminal for a missing Slack or GitHub value (CI, scripts). */
  noInput: boolean;
}

export const USAGE =
  'usage: npm run deploy -- --project PROJECT_ID --region REGION [--service pr-notifier] [--firestore-location LOCATION] [--dry-run] [--no-input]';

export function parseDeployArgs(argv: string[]): DeployOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.split(/=(.*)/s, 2);
    if (name === '--dry-run' || name === '--no-input') {
      flags.add(name);
    } else if (name === '--project' || name === '--region' || name === '--service' || name === '--firestore-location') {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value\n${USAGE}`);
      values.set(name, value);
    } else {
      throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  const project = values.get('--project');
  const region = values.get('--region');
  if (!project || !region) throw new Error(`--project and --region are required\n${USAGE}`);
  // Both end up in URLs and resource names: refuse anything gcloud would not take anyway.
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project))
    throw new Error(`--project ${project} is not a Google Cloud project id`);
  if (!/^[a-z]+-[a-z]+\d+$/.test(region))
    throw new Error(`--region ${region} is not a Cloud Run region, e.g. europe-west1`);
  const service = values.get('--service') ?? 'pr-notifier';
  if (!/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/.test(service))
    throw new Error(`--service ${service} is not a valid Cloud Run service name`);
  return {
    project,
    region,
    service,
    firestoreLocation: values.get('--firestore-location') ?? region,
    dryRun: flags.has('--dry-run'),
    noInput: flags.has('--no-input'),
  };
}
