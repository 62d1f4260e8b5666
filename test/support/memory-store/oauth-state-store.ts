import type { OAuthStateRecord, OAuthStateStore } from '../../../src/store/types.js';
import { copy, type Serial } from './serial.js';

export function createMemoryOAuthStateStore(options: { serial: Serial }): OAuthStateStore {
  const { serial } = options;
  const states = new Map<string, OAuthStateRecord>();
  return {
    create: (record) =>
      serial(() => {
        // Like Firestore's create(): a state value is never silently reused.
        if (states.has(record.state)) return 'exists';
        states.set(record.state, copy(record));
        return 'created';
      }),
    consume: (input) =>
      serial(() => {
        const record = states.get(input.state);
        if (!record || record.kind !== input.kind) return null;
        states.delete(input.state);
        return record.expiresAt.getTime() > input.now.getTime() ? copy(record) : null;
      }),
  };
}
