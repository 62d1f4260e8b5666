import { randomBytes } from 'node:crypto';
import { createTokenCipher } from '../../../src/security/token-cipher.js';
import { createWorkspaceTokens } from '../../../src/security/workspace-tokens.js';
import { createFirestoreStore } from '../../../src/store/firestore/index.js';
import type { FaultCluster } from './fault-cluster.js';
import { BOT_SCOPES } from '../../../src/slack/bolt-app.js';
import { seedInstallation } from '../../support/seed-installation.js';

/** One subscription the faults are measured on: a workspace's channel following one repository. */
export interface Subscription {
  workspaceId: string;
  channelId: string;
  repo: string;
  botToken: string;
}

/**
 * Installs workspaces as an OAuth install would leave them (sealed installation in Firestore under the cluster's key,
 * token known to the fake Slack) and subscribes each listed channel to its repo.
 */
export async function installSubscriptions(
  cluster: FaultCluster,
  wanted: Array<{ workspaceId: string; channelId: string; repo: string }>,
): Promise<Subscription[]> {
  const store = createFirestoreStore(cluster.db);
  const tokens = createWorkspaceTokens({
    workspaces: store.workspaces,
    cipher: createTokenCipher({ keys: [cluster.tokenKey] }),
  });
  const botTokens = new Map<string, string>();
  const result: Subscription[] = [];
  for (const w of wanted) {
    let botToken = botTokens.get(w.workspaceId);
    if (botToken === undefined) {
      botToken = `xoxb-${w.workspaceId}-${randomBytes(6).toString('hex')}`;
      botTokens.set(w.workspaceId, botToken);
      const botUserId = `UBOT${w.workspaceId}`;
      const teamName = `team-${w.workspaceId.toLowerCase()}`;
      cluster.slack.addWorkspace({ workspaceId: w.workspaceId, teamName, botToken, botUserId });
      await seedInstallation({
        workspaces: store.workspaces,
        tokens,
        workspaceId: w.workspaceId,
        teamName,
        botToken,
        botUserId,
        scopes: [...BOT_SCOPES],
        at: new Date(),
      });
    }
    cluster.slack.addChannel(w.workspaceId, {
      id: w.channelId,
      name: w.channelId.toLowerCase(),
      isPrivate: false,
      botIsMember: true,
    });
    await store.subscriptions.subscribe({
      workspaceId: w.workspaceId,
      repoFullName: w.repo,
      channelId: w.channelId,
      actor: 'USETUP',
      at: new Date(),
    });
    result.push({ ...w, botToken });
  }
  return result;
}
