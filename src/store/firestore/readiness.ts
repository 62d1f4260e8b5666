import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';

/**
 * Readiness: a get of one (usually absent) document, answered within `timeoutMs`; never throws.
 * The SDK keeps retrying an unanswered read for several seconds after we stop waiting, so while one probe
 * is still out, later pings wait on it instead of piling up more reads (a load balancer polls /readyz often).
 */
export function createReadinessProbe(options: { db: Firestore; timeoutMs: number }): () => Promise<boolean> {
  let inFlight: Promise<boolean> | null = null;
  const probe = (): Promise<boolean> => {
    if (!inFlight) {
      const read = options.db
        .collection(COLLECTIONS.workspaces)
        .doc('_readiness_probe')
        .get()
        .then(
          () => true,
          () => false,
        );
      inFlight = read;
      void read.finally(() => {
        if (inFlight === read) inFlight = null;
      });
    }
    return inFlight;
  };
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.timeoutMs);
    });
    try {
      return await Promise.race([probe(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
