import { Timestamp } from '@google-cloud/firestore';

/**
 * Validation on read: Firestore hands back untyped maps, and a document written by an older version or by hand
 * must fail with an error naming the document and the field, not deep inside a handler.
 */
export class StoreDataError extends Error {
  constructor(readonly documentPath: string, readonly field: string, expected: string, got: unknown) {
    super(`Malformed document ${documentPath}: field "${field}" should be ${expected}, got ${describe(got)}`);
    this.name = 'StoreDataError';
  }
}

export interface FieldReader {
  string(field: string): string;
  stringOrNull(field: string): string | null;
  boolean(field: string): boolean;
  booleanOr(field: string, fallback: boolean): boolean;
  numberOrNull(field: string): number | null;
  date(field: string): Date;
  dateOrNull(field: string): Date | null;
  stringMap(field: string): Record<string, string>;
  scalarMapOrUndefined(field: string): Record<string, string | number | boolean | null> | undefined;
}

/** Reads one document's fields; absent counts as null for the `OrNull` readers. */
export function readFields(documentPath: string, data: unknown): FieldReader {
  if (typeof data !== 'object' || data === null) throw new StoreDataError(documentPath, '(document)', 'a map', data);
  const doc = data as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new StoreDataError(documentPath, field, expected, doc[field]);
  };
  const isAbsent = (field: string) => doc[field] === undefined || doc[field] === null;
  const map = (field: string, ok: (v: unknown) => boolean, expected: string) => {
    const v = doc[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Timestamp) return fail(field, expected);
    if (!Object.values(v).every(ok)) return fail(field, expected);
    return { ...(v as Record<string, never>) };
  };
  const reader: FieldReader = {
    string: (f) => (typeof doc[f] === 'string' ? (doc[f] as string) : fail(f, 'a string')),
    stringOrNull: (f) => (isAbsent(f) ? null : typeof doc[f] === 'string' ? (doc[f] as string) : fail(f, 'a string or null')),
    boolean: (f) => (typeof doc[f] === 'boolean' ? (doc[f] as boolean) : fail(f, 'a boolean')),
    booleanOr: (f, fallback) => (doc[f] === undefined ? fallback : reader.boolean(f)),
    numberOrNull: (f) =>
      isAbsent(f) ? null : typeof doc[f] === 'number' && Number.isFinite(doc[f]) ? (doc[f] as number) : fail(f, 'a number or null'),
    date: (f) => (doc[f] instanceof Timestamp ? (doc[f] as Timestamp).toDate() : fail(f, 'a timestamp')),
    dateOrNull: (f) => (isAbsent(f) ? null : reader.date(f)),
    stringMap: (f) => (doc[f] === undefined ? {} : map(f, (v) => typeof v === 'string', 'a map of strings')),
    scalarMapOrUndefined: (f) =>
      doc[f] === undefined || doc[f] === null
        ? undefined
        : map(f, (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v), 'a map of scalars'),
  };
  return reader;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof Timestamp) return 'a timestamp';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 40))}` : `a ${typeof v}`;
}
