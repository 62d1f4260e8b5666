import { Readable } from 'node:stream';
import { Firestore } from '@google-cloud/firestore';

/** Round trips of one RPC method (commit, batchGetDocuments, runQuery, ...) and the time they took. */
export interface RpcTally {
  calls: number;
  ms: number;
}

/** What this process's Firestore clients did, counted as Firestore bills it: documents read, documents written. */
export interface FirestoreTally {
  reads: number;
  writes: number;
  /** RPCs that failed with ABORTED (a transaction that lost a lock and is retried), and explicit rollbacks. */
  aborted: number;
  rpcs: Record<string, RpcTally>;
}

export interface FirestoreMeter {
  /** Totals since the meter was installed; subtract two with `tallySince`. */
  read(): FirestoreTally;
}

const ABORTED = 10;
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
  const totals: FirestoreTally = { reads: 0, writes: 0, aborted: 0, rpcs: {} };
  const time = (method: string, started: number) => {
    const t = (totals.rpcs[method] ??= { calls: 0, ms: 0 });
    t.calls += 1;
    t.ms += performance.now() - started;
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
      totals.writes += Array.isArray(writes) ? writes.length : 0;
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
    let documents = 0;
    Reflect.set(stream, 'emit', (event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') documents += documentsIn(method, args[0]);
      if (event === 'end' || event === 'close' || event === 'error') finish();
      return emit(event, ...args);
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      totals.reads += method === 'runQuery' || method === 'runAggregationQuery' ? Math.max(1, documents) : documents;
      time(method, started);
    };
  }

  // A listener never ends: its document changes are billed as they arrive.
  function countAsYouGo(emit: Readable['emit']) {
    return (event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') totals.reads += documentsIn('listen', args[0]);
      return emit(event, ...args);
    };
  }

  return { read: () => structuredClone(totals) };
}

function documentsIn(method: string, chunk: unknown): number {
  if (method === 'batchGetDocuments') return present(field(chunk, 'found')) || present(field(chunk, 'missing')) ? 1 : 0;
  if (method === 'runQuery') return present(field(chunk, 'document')) ? 1 : 0;
  if (method === 'listen') return present(field(chunk, 'documentChange')) ? 1 : 0;
  return 0;
}

/** What happened between two readings of the meter. */
export function tallySince(before: FirestoreTally, after: FirestoreTally): FirestoreTally {
  const rpcs: Record<string, RpcTally> = {};
  for (const [method, t] of Object.entries(after.rpcs)) {
    const b = before.rpcs[method] ?? { calls: 0, ms: 0 };
    if (t.calls > b.calls) rpcs[method] = { calls: t.calls - b.calls, ms: t.ms - b.ms };
  }
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    aborted: after.aborted - before.aborted,
    rpcs,
  };
}
