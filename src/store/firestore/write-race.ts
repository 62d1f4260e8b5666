import { toRecord } from '../../shared/json-reader.js';

/**
 * gRPC codes of a write that lost a race: the document was created meanwhile (ALREADY_EXISTS), changed since it was
 * read (FAILED_PRECONDITION), deleted (NOT_FOUND) or its transaction was aborted (ABORTED).
 */
const RACE_CODES: ReadonlySet<unknown> = new Set([5, 6, 9, 10]);

/** True when a conditional write failed only because the document is no longer as it was read. */
export function isWriteRace(err: unknown): boolean {
  return RACE_CODES.has(toRecord(err)['code']);
}

/** UNKNOWN, INTERNAL: the write may have landed (an answer lost; the emulator answers UNKNOWN under lock contention). */
const MAYBE_LANDED_CODES: ReadonlySet<unknown> = new Set([2, 13]);

/** True when a failed write may all the same have landed: only a read tells. */
export function mayHaveLanded(err: unknown): boolean {
  return MAYBE_LANDED_CODES.has(toRecord(err)['code']);
}

/**
 * True when a write was refused for what it holds, not for the state of the database or the network: invalid data the
 * client refused before sending (no gRPC code), or INVALID_ARGUMENT from Firestore (e.g. a document over 1 MiB).
 */
export function isRefusedForContent(err: unknown): boolean {
  const code = toRecord(err)['code'];
  return typeof code !== 'number' || code === 3;
}
