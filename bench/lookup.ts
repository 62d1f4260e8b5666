import { randomUUID } from 'node:crypto';
import { createFirestore } from '../src/store/firestore-client.js';
import { createFirestoreStore } from '../src/store/firestore/index.js';
import { COLLECTIONS } from '../src/store/ids.js';
import { summarize, type Summary } from './stats.js';

export interface LookupRow {
  /** Subscribed repos in the project when measured. */
  repos: number;
  /** workspacesForRepo through repo_workspace_mappings. */
  indexed: Summary;
  /** Reading every subscription and keeping the repo's: what the lookup would cost without the index. */
  scan: Summary;
  /** Workspaces found (both ways must agree). */
  found: { indexed: number; scan: number };
  /** Documents each way reads (and Firestore bills) per lookup. */
  read: { indexed: number; scan: number };
}

const SEED_CONCURRENCY = 48;
/** The repo looked up is followed by this many workspaces; every other repo by one. */
const TARGET_WORKSPACES = 10;
const TARGET = 'bench-org/looked-up';

/**
 * A fresh project on the emulator, filled with subscriptions through the store's own subscribe (so the mapping
 * documents are exactly the app's), measured at each size in `sizes` (ascending).
 */
export async function measureLookup(o: {
  emulatorHost: string;
  sizes: readonly number[];
  samples: number;
  progress: (message: string) => void;
}): Promise<LookupRow[]> {
  const db = createFirestore({ emulatorHost: o.emulatorHost, projectId: `bench-lookup-${randomUUID().slice(0, 8)}` });
  const store = createFirestoreStore(db);
  const subscribe = (workspaceId: string, repoFullName: string) =>
    store.subscriptions.subscribe({ workspaceId, repoFullName, channelId: 'CLOOKUP', actor: 'UBENCH', at: new Date() });
  for (let i = 0; i < TARGET_WORKSPACES; i++) await subscribe(`TLOOK${i}`, TARGET);
  const rows: LookupRow[] = [];
  let seeded = 1;
  for (const size of o.sizes) {
    o.progress(`lookup: seeding to ${size} subscribed repos`);
    let next = seeded;
    const worker = async () => {
      for (let i = next++; i < size; i = next++) await subscribe(`TLOOK${i % 100}`, `bench-org/repo-${i}`);
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
    seeded = size;
    const indexed: number[] = [];
    const scan: number[] = [];
    const found = { indexed: 0, scan: 0 };
    const read = { indexed: 0, scan: 0 };
    for (let s = 0; s < o.samples; s++) {
      let started = performance.now();
      found.indexed = (await store.subscriptions.workspacesForRepo(TARGET)).length;
      read.indexed = found.indexed;
      indexed.push(performance.now() - started);
      started = performance.now();
      const all = await db.collection(COLLECTIONS.repos).get();
      found.scan = all.docs.filter((d) => d.get('repo_full_name') === TARGET).length;
      read.scan = all.size;
      scan.push(performance.now() - started);
    }
    rows.push({ repos: size, indexed: summarize(indexed), scan: summarize(scan), found, read });
  }
  await db.terminate();
  return rows;
}
