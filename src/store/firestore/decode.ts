import { Timestamp } from '@google-cloud/firestore';

/**
 * Validation on read: Firestore hands back untyped maps, and a document written by an older version or by hand
 * must fail with an error naming the document and the field, not deep inside a handler.
 */
export class StoreDataError extends Error {
  constructor(
    readonly documentPath: string,
    readonly field: string,
    expected: string,
    got: unknown,
  ) {
    super(`Malformed document ${documentPath}: field "${field}" should be ${expected}, got ${describe(got)}`);
    this.name = 'StoreDataError';
  }
}

export interface FieldReader {
  string(field: string): string;
  stringOrNull(field: string): string | null;
  oneOf<T extends string>(field: string, values: readonly T[]): T;
  boolean(field: string): boolean;
  booleanOr(field: string, fallback: boolean): boolean;
  integer(field: string): number;
  numberOrNull(field: string): number | null;
  date(field: string): Date;
  dateOrNull(field: string): Date | null;
  stringList(field: string): string[];
  /** A list of strings; an absent field reads as an empty list (documents written before the field existed). */
  stringListOrEmpty(field: string): string[];
  stringMap(field: string): Record<string, string>;
  scalarMapOrUndefined(field: string): Record<string, string | number | boolean | null> | undefined;
  /** A map of any values, copied. */
  map(field: string): Record<string, unknown>;
  /** A nested map, read with the same checks; errors name the field by its dotted path. */
  nestedOrNull(field: string): FieldReader | null;
  /** Each entry of a nested map of maps (none when absent), with a reader for its value. */
  nestedEntries(field: string): Array<[key: string, reader: FieldReader]>;
}

/** Reads one document's fields; absent counts as null for the `OrNull` readers. */
export function readFields(documentPath: string, data: unknown): FieldReader {
  if (!isMap(data)) throw new StoreDataError(documentPath, '(document)', 'a map', data);
  return readMap(documentPath, data, '');
}

/** `prefix` is the dotted path of a nested map inside the document, so errors name the field in full. */
function readMap(documentPath: string, doc: Record<string, unknown>, prefix: string): FieldReader {
  const fail = (field: string, expected: string): never => {
    throw new StoreDataError(documentPath, `${prefix}${field}`, expected, doc[field]);
  };
  const isAbsent = (field: string) => doc[field] === undefined || doc[field] === null;
  const mapOf = <V>(field: string, ok: (v: unknown) => v is V, expected: string): Record<string, V> => {
    const v = doc[field];
    if (!isMap(v)) return fail(field, expected);
    const entries = Object.entries(v);
    return entries.every((e): e is [string, V] => ok(e[1])) ? Object.fromEntries(entries) : fail(field, expected);
  };
  const reader: FieldReader = {
    string: (f) => {
      const v = doc[f];
      return typeof v === 'string' ? v : fail(f, 'a string');
    },
    stringOrNull: (f) => {
      const v = doc[f];
      return isAbsent(f) ? null : typeof v === 'string' ? v : fail(f, 'a string or null');
    },
    oneOf: (f, values) => {
      const v = doc[f];
      return values.find((value) => value === v) ?? fail(f, `one of ${values.join(', ')}`);
    },
    boolean: (f) => {
      const v = doc[f];
      return typeof v === 'boolean' ? v : fail(f, 'a boolean');
    },
    booleanOr: (f, fallback) => (doc[f] === undefined ? fallback : reader.boolean(f)),
    integer: (f) => {
      const v = doc[f];
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(f, 'a non-negative integer');
    },
    numberOrNull: (f) => {
      const v = doc[f];
      return isAbsent(f) ? null : typeof v === 'number' && Number.isFinite(v) ? v : fail(f, 'a number or null');
    },
    date: (f) => {
      const v = doc[f];
      return v instanceof Timestamp ? v.toDate() : fail(f, 'a timestamp');
    },
    dateOrNull: (f) => (isAbsent(f) ? null : reader.date(f)),
    stringList: (f) => {
      const v = doc[f];
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : fail(f, 'a list of strings');
    },
    stringListOrEmpty: (f) => (isAbsent(f) ? [] : reader.stringList(f)),
    stringMap: (f) =>
      doc[f] === undefined ? {} : mapOf(f, (v): v is string => typeof v === 'string', 'a map of strings'),
    scalarMapOrUndefined: (f) => (isAbsent(f) ? undefined : mapOf(f, isScalar, 'a map of scalars')),
    map: (f) => mapOf(f, (_value): _value is unknown => true, 'a map'),
    nestedOrNull: (f) => (isAbsent(f) ? null : readMap(documentPath, reader.map(f), `${prefix}${f}.`)),
    nestedEntries: (f) =>
      Object.entries(doc[f] === undefined ? {} : mapOf(f, isMap, 'a map of maps')).map(([key, value]) => [
        key,
        readMap(documentPath, value, `${prefix}${f}.${key}.`),
      ]),
  };
  return reader;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Timestamp);
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof Timestamp) return 'a timestamp';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 40))}` : `a ${typeof v}`;
}
