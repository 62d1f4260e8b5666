import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { toRecord } from '../../shared/json-reader.js';
import { createPerTurnLoader } from './per-turn-loader.js';
import { buildQuery, type QuerySpec } from './queries.js';

/** Firestore's limit on the values of one `in` filter. */
const VALUES_PER_QUERY = 30;

type Value = string | number;

/**
 * Reads of the documents whose `field` has one of some values (`spec`: one `in` filter on it), coalesced per turn of
 * the event loop: the values asked for in one turn go in one query (30 values each) instead of a query each. A backlog
 * made due at once fans out the deliveries of many repos together, and a query's fixed cost (a round trip, and the
 * emulator's scan of the collection) is then paid once for all of them. Nothing about a single read changes: it is
 * sent after it was asked for, and answers only its own values' documents, in document order, as its own query would.
 */
export function createCoalescedInReads(
  db: Firestore,
  spec: QuerySpec,
  field: string,
): (values: readonly Value[]) => Promise<QueryDocumentSnapshot[]> {
  const readValue = createPerTurnLoader<Value, QueryDocumentSnapshot[]>({
    chunk: VALUES_PER_QUERY,
    async load(values) {
      const snap = await buildQuery(db, spec, [values]).get();
      const byValue = new Map(values.map((v) => [v, [] as QueryDocumentSnapshot[]]));
      for (const doc of snap.docs) byValue.get(toRecord(doc.data())[field] as Value)?.push(doc);
      return values.map((v) => byValue.get(v) ?? []);
    },
  });

  return async (values) => {
    const answers = await Promise.all([...new Set(values)].map(readValue));
    // In document order, as one query of these values answers.
    return answers.flat().sort((a, b) => (a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : 0));
  };
}
