import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, so heap figures show what is retained rather than what is merely not collected yet.
 * `npm run bench` runs plain tsx without --expose-gc, so turn the flag on at run time and take gc from a new context.
 */
export function createGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('could not expose gc');
  return () => {
    // Twice: the first pass can leave objects that only the second finds unreachable (weak refs, finalizers).
    gc();
    gc();
  };
}
