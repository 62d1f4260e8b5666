import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A recording stand-in for `gcloud` and `npx` (firebase-tools), first on PATH: each call appends its argv to a log
 * and answers from a small state file as Google Cloud would. Describes answer "not found" until the matching create
 * ran; `run deploy` refuses a secret that does not exist or that the service account cannot read, like Cloud Run.
 */
export interface FakeCloud {
  binDir: string;
  /** Every call so far, in order. */
  calls(): Array<{ program: string; args: string[]; stdin: string }>;
  state(): FakeCloudState;
  /** Adds a secret as an operator would by hand (e.g. with the GitHub App setup page's commands). */
  addSecret(name: string, value: string): void;
}

export interface FakeCloudState {
  enabledApis: string[];
  databases: string[];
  ttls: string[];
  secrets: Record<string, string>;
  secretIam: Record<string, string[]>;
  projectIam: Record<string, string[]>;
  serviceAccounts: string[];
  service: null | { url: string; env: Record<string, string>; secrets: Record<string, string>; flags: string[] };
}

const SERVICE_URL = 'https://pr-notifier-4kq2xq3ylq-ew.a.run.app';

const FAKE = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const program = require('node:path').basename(process.argv[1]);
const args = process.argv.slice(2);
const stdin = (() => { try { return fs.readFileSync(0, 'utf8'); } catch { return ''; } })();
fs.appendFileSync(process.env.FAKE_CLOUD_LOG, JSON.stringify({ program, args, stdin }) + '\n');
const statePath = process.env.FAKE_CLOUD_STATE;
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const save = () => fs.writeFileSync(statePath, JSON.stringify(state));
const flag = (name) => { const a = args.find((x) => x.startsWith('--' + name + '=')); return a === undefined ? undefined : a.slice(name.length + 3); };
const words = args.filter((a) => !a.startsWith('--'));
const is = (...w) => w.every((x, i) => words[i] === x);
const out = (text) => { process.stdout.write(text + '\n'); process.exit(0); };
const notFound = (what) => { process.stderr.write('ERROR: (gcloud) NOT_FOUND: ' + what + ' was not found\n'); process.exit(1); };
const done = () => { save(); process.exit(0); };
const policy = (map) => JSON.stringify({ bindings: Object.entries(map).map(([role, members]) => ({ role, members })) });

if (program === 'npx') {
  if (is('firebase', 'deploy')) out('Deploy complete!');
  process.stderr.write('fake npx: unexpected ' + args.join(' ') + '\n'); process.exit(2);
}
if (is('projects', 'describe')) out('123456789012');
if (is('services', 'list')) out(state.enabledApis.join('\n'));
if (is('services', 'enable')) { state.enabledApis.push(...words.slice(2)); done(); }
if (is('firestore', 'databases', 'describe')) state.databases.includes(flag('database')) ? out('projects/p/databases/' + flag('database')) : notFound('database');
if (is('firestore', 'databases', 'create')) { state.databases.push(flag('database')); done(); }
if (is('firestore', 'indexes', 'fields', 'describe')) state.ttls.includes(flag('collection-group')) ? out('ACTIVE') : notFound('field');
if (is('firestore', 'fields', 'ttls', 'update')) { state.ttls.push(flag('collection-group')); done(); }
if (is('secrets', 'describe')) words[2] in state.secrets ? out('projects/p/secrets/' + words[2]) : notFound('secret ' + words[2]);
if (is('secrets', 'create')) {
  if (words[2] in state.secrets) { process.stderr.write('ALREADY_EXISTS\n'); process.exit(1); }
  state.secrets[words[2]] = stdin; done();
}
if (is('secrets', 'get-iam-policy')) words[2] in state.secrets ? out(JSON.stringify({ bindings: [{ role: 'roles/secretmanager.secretAccessor', members: state.secretIam[words[2]] || [] }] })) : notFound('secret');
if (is('secrets', 'add-iam-policy-binding')) {
  if (!(words[2] in state.secrets)) notFound('secret ' + words[2]);
  (state.secretIam[words[2]] = state.secretIam[words[2]] || []).push(flag('member')); done();
}
if (is('iam', 'service-accounts', 'describe')) state.serviceAccounts.includes(words[3]) ? out(words[3]) : notFound('service account');
if (is('iam', 'service-accounts', 'create')) { state.serviceAccounts.push(words[3] + '@' + flag('project') + '.iam.gserviceaccount.com'); done(); }
if (is('projects', 'get-iam-policy')) out(policy(state.projectIam));
if (is('projects', 'add-iam-policy-binding')) { (state.projectIam[flag('role')] = state.projectIam[flag('role')] || []).push(flag('member')); done(); }
if (is('run', 'services', 'describe')) state.service ? out(state.service.url) : notFound('service');
if (is('run', 'deploy')) {
  const sa = flag('service-account');
  if (!state.serviceAccounts.includes(sa)) { process.stderr.write('service account ' + sa + ' does not exist\n'); process.exit(1); }
  const pairs = (text) => Object.fromEntries((text || '').split(',').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const secrets = pairs(flag('set-secrets'));
  for (const [name, ref] of Object.entries(secrets)) {
    const secret = ref.split(':')[0];
    if (!(secret in state.secrets)) { process.stderr.write('Secret ' + secret + ' was not found\n'); process.exit(1); }
    if (!(state.secretIam[secret] || []).includes('serviceAccount:' + sa)) { process.stderr.write('Permission denied on secret ' + secret + ' for the revision service account\n'); process.exit(1); }
  }
  state.service = { url: ${JSON.stringify(SERVICE_URL)}, env: pairs(flag('set-env-vars')), secrets, flags: args.filter((a) => a.startsWith('--')) };
  done();
}
if (is('run', 'services', 'update')) {
  if (!state.service) notFound('service');
  const [k, ...v] = flag('update-env-vars').split('='); state.service.env[k] = v.join('='); done();
}
process.stderr.write('fake gcloud: unsupported command ' + args.join(' ') + '\n');
process.exit(2);
`;

export function createFakeCloud(): FakeCloud {
  const binDir = mkdtempSync(join(tmpdir(), 'fake-cloud-'));
  const log = join(binDir, 'calls.jsonl');
  const statePath = join(binDir, 'state.json');
  const empty: FakeCloudState = {
    enabledApis: [],
    databases: [],
    ttls: [],
    secrets: {},
    secretIam: {},
    projectIam: {},
    serviceAccounts: [],
    service: null,
  };
  writeFileSync(statePath, JSON.stringify(empty));
  writeFileSync(log, '');
  for (const name of ['gcloud', 'npx', 'firebase']) {
    writeFileSync(join(binDir, name), FAKE);
    chmodSync(join(binDir, name), 0o755);
  }
  const readState = (): FakeCloudState => JSON.parse(readFileSync(statePath, 'utf8')) as FakeCloudState;
  return {
    binDir,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { program: string; args: string[]; stdin: string }),
    state: readState,
    addSecret(name, value) {
      const state = readState();
      state.secrets[name] = value;
      writeFileSync(statePath, JSON.stringify(state));
    },
  };
}

export const FAKE_SERVICE_URL = SERVICE_URL;
export const fakeCloudEnv = (cloud: FakeCloud) => ({
  PATH: `${cloud.binDir}:${process.env['PATH'] ?? ''}`,
  FAKE_CLOUD_LOG: join(cloud.binDir, 'calls.jsonl'),
  FAKE_CLOUD_STATE: join(cloud.binDir, 'state.json'),
});
