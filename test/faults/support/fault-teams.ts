import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { createTokenCipher } from '../../../src/security/token-cipher.js';
import { createWorkspaceTokens } from '../../../src/security/workspace-tokens.js';
import { createFirestoreStore } from '../../../src/store/firestore/index.js';
import { FAKE_APP_ID } from '../../fakes/fake-slack-oauth.js';
import type { FaultCluster } from './fault-cluster.js';
import { BOT_SCOPES } from '../../../src/slack/bolt-app.js';

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
      const installation: Installation<'v2', false> = {
        team: { id: w.workspaceId, name: teamName },
        enterprise: undefined,
        isEnterpriseInstall: false,
        user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
        bot: { token: botToken, userId: botUserId, id: `B${w.workspaceId}`, scopes: [...BOT_SCOPES] },
        tokenType: 'bot',
        appId: FAKE_APP_ID,
        authVersion: 'v2',
      };
      await store.workspaces.saveInstallation({
        workspaceId: w.workspaceId,
        teamName,
        enterpriseId: null,
        isEnterpriseInstall: false,
        botUserId,
        encryptedInstallation: tokens.seal({ workspaceId: w.workspaceId, installation }),
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
