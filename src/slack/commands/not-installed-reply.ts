import { toRecord } from '../../shared/json-reader.js';
import type { Logger } from '../../log.js';

/**
 * A slash command from a workspace with no active installation (never installed, or uninstalled) fails
 * Bolt's authorize, so no listener runs. Rather than leave the user with silence, answer through the
 * command's response_url (from the verified body) with how to install again.
 */
export async function replyNotInstalled(options: { body: unknown; baseUrl: string; log: Logger }): Promise<void> {
  const body = toRecord(options.body);
  const responseUrl = body['response_url'];
  if (typeof body['command'] !== 'string' || typeof responseUrl !== 'string' || !/^https?:\/\//.test(responseUrl))
    return;
  const text = `PR Notifier is not installed in this workspace (any more). Install it again from ${options.baseUrl}/slack/install, then retry.`;
  try {
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) options.log.warn({ status: res.status, team_id: body['team_id'] }, 'not-installed reply refused');
  } catch (err) {
    options.log.warn({ err, team_id: body['team_id'] }, 'not-installed reply failed');
  }
}
