import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toRecord } from '../../src/shared/json-reader.js';
import { writeFileAtomic } from './atomic-file.js';

/**
 * Local mode's throw-away secrets. Generated on the first start and kept (mode 0600) under the local data folder,
 * so a restart can still open the installations sealed with the encryption key. They protect nothing real: the only
 * Slack and GitHub they talk to are the local ones.
 */
export interface LocalSecrets {
  tokenEncryptionKey: string;
  slackClientId: string;
  slackClientSecret: string;
  slackSigningSecret: string;
  slackStateSecret: string;
  githubWebhookSecret: string;
}

const FILE = 'secrets.json';

export function loadOrCreateLocalSecrets(dir: string): LocalSecrets {
  const path = join(dir, FILE);
  if (existsSync(path)) return decodeSecrets(JSON.parse(readFileSync(path, 'utf8')), path);
  const secrets: LocalSecrets = {
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    slackClientId: `${Date.now()}.local`,
    slackClientSecret: randomBytes(16).toString('hex'),
    slackSigningSecret: randomBytes(16).toString('hex'),
    slackStateSecret: randomBytes(24).toString('hex'),
    githubWebhookSecret: randomBytes(16).toString('hex'),
  };
  writeFileAtomic(path, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

function decodeSecrets(json: unknown, path: string): LocalSecrets {
  const record = toRecord(json);
  const read = (name: keyof LocalSecrets): string => {
    const value = record[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`${path} has no ${name}: delete the local data folder to start local mode afresh`);
    return value;
  };
  return {
    tokenEncryptionKey: read('tokenEncryptionKey'),
    slackClientId: read('slackClientId'),
    slackClientSecret: read('slackClientSecret'),
    slackSigningSecret: read('slackSigningSecret'),
    slackStateSecret: read('slackStateSecret'),
    githubWebhookSecret: read('githubWebhookSecret'),
  };
}
