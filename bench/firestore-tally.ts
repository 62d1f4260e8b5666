/** Round trips of one RPC method (commit, batchGetDocuments, runQuery, ...) and the time they took. */
export interface RpcTally {
  calls: number;
  ms: number;
}

/** What this process's Firestore clients did, counted as Firestore bills it: documents read, documents written. */
export interface FirestoreTally {
  reads: number;
  /** Documents read per RPC method (a listener's document changes under `listen`). */
  readsByMethod: Record<string, number>;
  /** Documents read per collection (the last collection in the document's path; a query with no document: `?`). */
  readsByCollection: Record<string, number>;
  writes: number;
  /** Documents written per collection (the last collection in the document's path). */
  writesByCollection: Record<string, number>;
  /** Commits by the collections they wrote to, sorted and joined by `+` (`channel_post_slots+tracked_messages`). */
  commitsByCollections: Record<string, number>;
  /** RPCs that failed with ABORTED (a transaction that lost a lock and is retried), and explicit rollbacks. */
  aborted: number;
  rpcs: Record<string, RpcTally>;
}

/** What happened between two readings of the meter. */
export function tallySince(before: FirestoreTally, after: FirestoreTally): FirestoreTally {
  const rpcs: Record<string, RpcTally> = {};
  for (const [method, t] of Object.entries(after.rpcs)) {
    const b = before.rpcs[method] ?? { calls: 0, ms: 0 };
    if (t.calls > b.calls) rpcs[method] = { calls: t.calls - b.calls, ms: t.ms - b.ms };
  }
  return {
    reads: after.reads - before.reads,
    readsByMethod: countsSince(before.readsByMethod, after.readsByMethod),
    readsByCollection: countsSince(before.readsByCollection, after.readsByCollection),
    writes: after.writes - before.writes,
    writesByCollection: countsSince(before.writesByCollection, after.writesByCollection),
    commitsByCollections: countsSince(before.commitsByCollections, after.commitsByCollections),
    aborted: after.aborted - before.aborted,
    rpcs,
  };
}

/** Adds `n` to the count under `key`. */
export function addCount(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** The counts of several tallies added up, key by key. */
export function sumCounts(list: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const counts of list) for (const [k, n] of Object.entries(counts)) addCount(sum, k, n);
  return sum;
}

function countsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) if (n > (before[k] ?? 0)) out[k] = n - (before[k] ?? 0);
  return out;
}
