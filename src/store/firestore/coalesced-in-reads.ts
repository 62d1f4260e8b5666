import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { toRecord } from '../../shared/json-reader.js';
import { buildQuery, type QuerySpec } from './queries.js';

/** Firestore's limit on the values of one `in` filter. */
const VALUES_PER_QUERY = 30;

type Value = string | number;
type Answer = { docs: QueryDocumentSnapshot[] } | { err: unknown };

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
  let waiting = new Map<Value, Array<(answer: Answer) => void>>();
  let scheduled = false;

  function send(): void {
    const batch = waiting;
    waiting = new Map();
    scheduled = false;
    const values = [...batch.keys()];
    for (let i = 0; i < values.length; i += VALUES_PER_QUERY) {
      const chunk = values.slice(i, i + VALUES_PER_QUERY);
      const answer = (value: Value, a: Answer) => batch.get(value)?.forEach((w) => w(a));
      // Built inside the chain: a value the SDK refuses answers its readers instead of throwing out of this turn.
      Promise.resolve()
        .then(() => buildQuery(db, spec, [chunk]).get())
        .then(
          (snap) => {
            const byValue = new Map(chunk.map((v) => [v, [] as QueryDocumentSnapshot[]]));
            for (const doc of snap.docs) byValue.get(toRecord(doc.data())[field] as Value)?.push(doc);
            chunk.forEach((v) => answer(v, { docs: byValue.get(v) ?? [] }));
          },
          (err: unknown) => chunk.forEach((v) => answer(v, { err })),
        );
    }
  }

  function readValue(value: Value): Promise<QueryDocumentSnapshot[]> {
    return new Promise((resolve, reject) => {
      const waiters = waiting.get(value) ?? [];
      waiters.push((a) => ('docs' in a ? resolve(a.docs) : reject(a.err)));
      waiting.set(value, waiters);
      if (scheduled) return;
      scheduled = true;
      setImmediate(send);
    });
  }

  return async (values) => {
    const answers = await Promise.all([...new Set(values)].map(readValue));
    // In document order, as one query of these values answers.
    return answers.flat().sort((a, b) => (a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : 0));
  };
}
