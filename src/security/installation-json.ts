import type { Installation } from '@slack/bolt';
import { toRecord } from '../shared/json-reader.js';
import { toWorkspaceId } from '../slack/oauth/bolt-installation-store.js';

/**
 * Reads a Bolt installation back from the JSON that was sealed. The text is authenticated (we wrote it), so this
 * checks only what the app relies on: the ids that say whose installation it is, the installer, the bot token.
 */
export function parseInstallation(json: string): Installation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // JSON.parse quotes the text it choked on, and this text holds tokens: report without it.
    throw new Error('sealed installation is not JSON');
  }
  if (!isInstallation(parsed)) throw new Error('sealed installation does not have the shape of a Slack installation');
  return parsed;
}

/** The workspace an installation belongs to, decided as the installation store decides where to save it. */
export function workspaceIdOf(installation: Installation): string | null {
  return toWorkspaceId({
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
    enterpriseId: installation.enterprise?.id,
    teamId: installation.team?.id,
  });
}

function isInstallation(value: unknown): value is Installation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = toRecord(value);
  // Bolt leaves team or enterprise out (or null) when the install has none.
  const optionalId = (x: unknown) => x === undefined || x === null || typeof toRecord(x)['id'] === 'string';
  const bot = v['bot'];
  return (
    optionalId(v['team']) &&
    optionalId(v['enterprise']) &&
    typeof toRecord(v['user'])['id'] === 'string' &&
    (bot === undefined || typeof toRecord(bot)['token'] === 'string')
  );
}
