/** Where a person wants to hear that their review was requested: in the PR's thread, by DM, or not at all. */
export const REVIEW_REQUEST_DELIVERIES = ['thread', 'dm', 'off'] as const;
export type ReviewRequestDelivery = (typeof REVIEW_REQUEST_DELIVERIES)[number];

/** A Slack user of one workspace, as the store keeps it and the pipeline reads it (mentions, auto-registration). */
export interface UserRecord {
  workspaceId: string;
  slackUserId: string;
  githubUserId: number | null;
  githubLogin: string | null;
  verified: boolean;
  defaultChannel: string | null;
  notificationsEnabled: boolean;
  /** How a requested review reaches this person (default `thread`). */
  reviewRequests: ReviewRequestDelivery;
  /** Whether this person, as a PR's author, gets a DM when it is approved, gets changes requested or is merged. */
  authorNews: boolean;
  updatedAt: Date;
}
