import { Readable } from 'node:stream';
import { Firestore } from '@google-cloud/firestore';
import { addCount, type FirestoreTally } from './firestore-tally.js';

export type { FirestoreTally } from './firestore-tally.js';
export { tallySince } from './firestore-tally.js';

export interface FirestoreMeter {
  /** Totals since the meter was installed; subtract two with `tallySince`. */
  read(): FirestoreTally;
}

const ABORTED = 10;
/** What a query that found no document is billed as: one read, counted under this name. */
const EMPTY_QUERY = 'empty queries';
const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
const present = (value: unknown) => value !== undefined && value !== null;

/**
 * Counts every RPC of every Firestore client in this process at the SDK's two funnels (Firestore#request and
 * Firestore#requestStream): the app's own client included, without changing the app. Reads are counted from the
 * responses (a found or missing document, a query's documents or one read for an empty query, a listener's
 * document changes), writes from each commit's list. Call once, before the app's client is built.
 */
export function installFirestoreMeter(): FirestoreMeter {
  const totals: FirestoreTally = {
    reads: 0,
    readsByMethod: {},
    readsByCollection: {},
    writes: 0,
    writesByCollection: {},
    commitsByCollections: {},
    aborted: 0,
    rpcs: {},
  };
  const time = (method: string, started: number) => {
    const t = (totals.rpcs[method] ??= { calls: 0, ms: 0 });
    t.calls += 1;
    t.ms += performance.now() - started;
  };
  const addReads = (method: string, documents: string[]) => {
    totals.reads += documents.length;
    addCount(totals.readsByMethod, method, documents.length);
    for (const name of documents)
      addCount(totals.readsByCollection, name === EMPTY_QUERY ? EMPTY_QUERY : collectionOfName(name));
  };
  const proto: object = Firestore.prototype;
  const request: unknown = Reflect.get(proto, 'request');
  const requestStream: unknown = Reflect.get(proto, 'requestStream');
  if (typeof request !== 'function' || typeof requestStream !== 'function')
    throw new Error('firestore-meter: this SDK version has no request/requestStream funnel');

  Reflect.set(proto, 'request', function (this: Firestore, method: string, body: unknown, ...rest: unknown[]) {
    const started = performance.now();
    if (method === 'commit' || method === 'batchWrite') {
      const writes = field(body, 'writes');
      const collections = new Set<string>();
      for (const write of Array.isArray(writes) ? writes : []) {
        totals.writes += 1;
        const collection = collectionOf(write);
        collections.add(collection);
        addCount(totals.writesByCollection, collection);
      }
      const shape = [...collections].sort().join('+');
      if (shape) addCount(totals.commitsByCollections, shape);
    }
    if (method === 'rollback') totals.aborted += 1;
    const result: Promise<unknown> = Reflect.apply(request, this, [method, body, ...rest]);
    return result.then(
      (value) => (time(method, started), value),
      (err: unknown) => {
        time(method, started);
        if (field(err, 'code') === ABORTED) totals.aborted += 1;
        throw err;
      },
    );
  });

  Reflect.set(proto, 'requestStream', function (this: Firestore, method: string, ...rest: unknown[]) {
    const started = performance.now();
    const result: Promise<unknown> = Reflect.apply(requestStream, this, [method, ...rest]);
    return result.then((stream) => {
      if (stream instanceof Readable) observe(stream, method, started);
      return stream;
    });
  });

  // Watches the stream's own events (a 'data' listener would set it flowing before the SDK is ready).
  function observe(stream: Readable, method: string, started: number) {
    const emit = stream.emit.bind(stream);
    if (method === 'listen') return void Reflect.set(stream, 'emit', countAsYouGo(emit));
    const documents: string[] = [];
    Reflect.set(stream, 'emit', (event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') documents.push(...documentsIn(method, args[0]));
      if (event === 'end' || event === 'close' || event === 'error') finish();
      return emit(event, ...args);
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      // A query that finds nothing is still billed one read.
      const query = method === 'runQuery' || method === 'runAggregationQuery';
      addReads(method, query && documents.length === 0 ? [EMPTY_QUERY] : documents);
      time(method, started);
    };
  }

  // A listener never ends: its document changes are billed as they arrive.
  function countAsYouGo(emit: Readable['emit']) {
    return (event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') addReads('listen', documentsIn('listen', args[0]));
      return emit(event, ...args);
    };
  }

  return { read: () => structuredClone(totals) };
}

/** The names of the documents a response chunk carries (one at most). */
function documentsIn(method: string, chunk: unknown): string[] {
  const named = (doc: unknown) => (present(doc) ? [nameOf(doc)] : []);
  if (method === 'batchGetDocuments') {
    const missing = field(chunk, 'missing');
    return present(missing) ? [String(missing)] : named(field(chunk, 'found'));
  }
  if (method === 'runQuery') return named(field(chunk, 'document'));
  if (method === 'listen') return named(field(field(chunk, 'documentChange'), 'document'));
  return [];
}

const nameOf = (doc: unknown): string => {
  const name = field(doc, 'name');
  return typeof name === 'string' ? name : '';
};

/** The collection a set, update, delete or transform writes to. */
function collectionOf(write: unknown): string {
  const name =
    field(field(write, 'update'), 'name') ?? field(write, 'delete') ?? field(field(write, 'transform'), 'document');
  return collectionOfName(typeof name === 'string' ? name : '');
}

/** `projects/p/databases/d/documents/jobs/abc` → `jobs`; `?` for anything else. */
function collectionOfName(name: string): string {
  const segments = name.split('/documents/')[1]?.split('/');
  return segments && segments.length >= 2 ? (segments[segments.length - 2] ?? '?') : '?';
}
