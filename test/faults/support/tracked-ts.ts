import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS, ids } from '../../../src/store/ids.js';

/** Resolves once the app has recorded the Slack ts of this PR's message in this channel (polled, bounded). */
export async function waitForRecordedTs(
  db: Firestore,
  key: { workspaceId: string; channelId: string; repo: string; prNumber: number },
  timeoutMs = 10_000,
): Promise<string> {
  const ref = db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage({ ...key, repoFullName: key.repo }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ts: unknown = (await ref.get()).get('ts');
    if (typeof ts === 'string') return ts;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ts recorded for ${ref.id} within ${timeoutMs} ms`);
}
