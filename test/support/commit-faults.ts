import type { Firestore } from '@google-cloud/firestore';

/**
 * Makes the next `times` batch commits of `db` (those made while `when()` holds) answer with gRPC `code`, having
 * written (`landed`: an answer lost, as the emulator's `2 UNKNOWN` under lock contention) or not. Every write of the
 * store goes through a batch (document writes are one-write batches in the SDK as here in DocIo).
 */
export function failCommits(
  db: Firestore,
  input: { code: number; landed: boolean; times: number; when?: () => boolean },
): { failed(): number; attempts(): number; restore(): void } {
  let failed = 0;
  let attempts = 0;
  const batch = db.batch.bind(db);
  db.batch = () => {
    const wb = batch();
    const commit = wb.commit.bind(wb);
    wb.commit = async () => {
      attempts += 1;
      if (failed >= input.times || !(input.when?.() ?? true)) return commit();
      failed += 1;
      if (input.landed) await commit();
      throw Object.assign(new Error(`${input.code} failed on purpose`), { code: input.code });
    };
    return wb;
  };
  return { failed: () => failed, attempts: () => attempts, restore: () => void (db.batch = batch) };
}

/** Counts the batch commits of `db` from now on (every write of the store goes through one), until `restore()`. */
export function countCommits(db: Firestore): { commits(): number; restore(): void } {
  let commits = 0;
  const batch = db.batch.bind(db);
  db.batch = () => {
    const wb = batch();
    const commit = wb.commit.bind(wb);
    wb.commit = () => ((commits += 1), commit());
    return wb;
  };
  return { commits: () => commits, restore: () => void (db.batch = batch) };
}
