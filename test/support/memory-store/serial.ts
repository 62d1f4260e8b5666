/**
 * Runs async sections one at a time, like the in-memory stand-in for Firestore transactions: a section reads and
 * writes with no other section interleaving, so concurrent calls end as they would on Firestore.
 */
export type Serial = <T>(section: () => T | Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return (section) => {
    const run = tail.then(section);
    // The next section waits for this one whether it succeeded or failed.
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Copies a record out of (or into) the store so callers never hold a live reference to stored state. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
