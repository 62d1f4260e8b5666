import { toRecord } from '../shared/json-reader.js';

/** gRPC status of Firestore's create() on a document that exists. */
const ALREADY_EXISTS = 6;

/** True when a Firestore write failed only because a document it creates exists already. */
export function isAlreadyExists(err: unknown): boolean {
  return toRecord(err)['code'] === ALREADY_EXISTS;
}
