import { encodedRepo } from '../ids.js';

/**
 * Job document ids. Deterministic, so that a redelivered event meets its own job and a burst of events for
 * one PR in one workspace meets one reconcile job. (Meant to move into src/store/ids.ts.)
 */
export const jobIds = {
  fanOut: (deliveryId: string) => `fanout#${deliveryId}`,
  reconcile: (k: { teamId: string; repoFullName: string; prNumber: number }) =>
    `reconcile#${k.teamId}#${encodedRepo(k.repoFullName)}#${k.prNumber}`,
} as const;
