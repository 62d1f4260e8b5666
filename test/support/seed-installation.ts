import type { Installation } from '@slack/bolt';
import type { WorkspaceTokens } from '../../src/security/workspace-tokens.js';
import type { WorkspaceStore } from '../../src/store/types.js';
import { FAKE_APP_ID } from '../../dev/fakes/fake-slack-oauth.js';

/**
 * Stores a workspace's installation as "Add to Slack" would leave it: the shape @slack/oauth's InstallProvider builds
 * from oauth.v2.access, sealed the way the installation store seals it. For tests that need an installed workspace
 * without walking the OAuth round trip.
 */
export async function seedInstallation(input: {
  workspaces: WorkspaceStore;
  tokens: WorkspaceTokens;
  workspaceId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  scopes: string[];
  at: Date;
}): Promise<void> {
  const { workspaceId, teamName, botToken, botUserId } = input;
  const installation: Installation<'v2', false> = {
    team: { id: workspaceId, name: teamName },
    enterprise: undefined,
    isEnterpriseInstall: false,
    user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
    bot: { token: botToken, userId: botUserId, id: `B${workspaceId}`, scopes: input.scopes },
    tokenType: 'bot',
    appId: FAKE_APP_ID,
    authVersion: 'v2',
  };
  await input.workspaces.saveInstallation({
    workspaceId,
    teamName,
    enterpriseId: null,
    isEnterpriseInstall: false,
    botUserId,
    encryptedInstallation: input.tokens.seal({ workspaceId, installation }),
    at: input.at,
  });
}
