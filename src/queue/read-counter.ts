/**
 * Firestore bills reads by documents returned, and one read for a query that returns none. The adapter counts
 * every read it makes this way, so a bench can report reads per idle instance-hour.
 */
export interface ReadCounter extends Tally {
  /** A query or snapshot that returned `documents` (at least one read is billed). */
  addQuery(documents: number): void;
}

/** A running count (reads, lost claim races). */
export interface Tally {
  add(n: number): void;
  total(): number;
}

export function createTally(): Tally {
  let total = 0;
  return {
    add(n) {
      total += n;
    },
    total: () => total,
  };
}

export function createReadCounter(): ReadCounter {
  let total = 0;
  return {
    add(documents) {
      total += documents;
    },
    addQuery(documents) {
      total += Math.max(1, documents);
    },
    total: () => total,
  };
}
