/** A Slack user of one workspace, as the store keeps it and the pipeline reads it (mentions, auto-registration). */
export interface UserRecord {
  workspaceId: string;
  slackUserId: string;
  githubUserId: number | null;
  githubLogin: string | null;
  verified: boolean;
  defaultChannel: string | null;
  notificationsEnabled: boolean;
  updatedAt: Date;
}
