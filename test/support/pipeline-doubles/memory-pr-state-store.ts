import type { PrStateStore } from '../../../src/pipeline/ports.js';
import { foldAndCompare, type PrState } from '../../../src/pipeline/core/pr-state.js';
import { ids } from '../../../src/store/ids.js';
import { copy, createSerial } from '../memory-store/serial.js';

/** PR states in memory: folds one at a time (as the Firestore transaction does), hands out copies. */
export function createMemoryPrStateStore(): PrStateStore {
  const serial = createSerial();
  const states = new Map<string, PrState>();
  return {
    fold: (event) =>
      serial(() => {
        const id = ids.prState(event.pr.repoFullName, event.pr.number);
        const { state, change } = foldAndCompare(states.get(id) ?? null, event);
        states.set(id, copy(state));
        return { state: copy(state), change };
      }),
    get: (repoFullName, prNumber) =>
      serial(() => {
        const found = states.get(ids.prState(repoFullName, prNumber));
        return found ? copy(found) : null;
      }),
  };
}
