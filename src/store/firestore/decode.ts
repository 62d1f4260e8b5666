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

/**
 * `prefix` is the dotted path of a nested map inside the document, so errors name the field in full. A class, not an
 * object of closures: every document read builds one or more, and closures (named ones under tsx) cost far more.
 */
function readMap(documentPath: string, doc: Record<string, unknown>, prefix: string): FieldReader {
  return new MapReader(documentPath, doc, prefix);
}

class MapReader implements FieldReader {
  constructor(
    private readonly documentPath: string,
    private readonly doc: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  private fail(field: string, expected: string): never {
    throw new StoreDataError(this.documentPath, `${this.prefix}${field}`, expected, this.doc[field]);
  }

  private isAbsent(field: string): boolean {
    return this.doc[field] === undefined || this.doc[field] === null;
  }

  private mapOf<V>(field: string, ok: (v: unknown) => v is V, expected: string): Record<string, V> {
    const v = this.doc[field];
    if (!isMap(v)) return this.fail(field, expected);
    const entries = Object.entries(v);
    return entries.every((e): e is [string, V] => ok(e[1])) ? Object.fromEntries(entries) : this.fail(field, expected);
  }

  string(f: string): string {
    const v = this.doc[f];
    return typeof v === 'string' ? v : this.fail(f, 'a string');
  }

  stringOrNull(f: string): string | null {
    const v = this.doc[f];
    return this.isAbsent(f) ? null : typeof v === 'string' ? v : this.fail(f, 'a string or null');
  }

  oneOf<T extends string>(f: string, values: readonly T[]): T {
    const v = this.doc[f];
    return values.find((value) => value === v) ?? this.fail(f, `one of ${values.join(', ')}`);
  }

  boolean(f: string): boolean {
    const v = this.doc[f];
    return typeof v === 'boolean' ? v : this.fail(f, 'a boolean');
  }

  booleanOr(f: string, fallback: boolean): boolean {
    return this.doc[f] === undefined ? fallback : this.boolean(f);
  }

  integer(f: string): number {
    const v = this.doc[f];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : this.fail(f, 'a non-negative integer');
  }

  numberOrNull(f: string): number | null {
    const v = this.doc[f];
    if (this.isAbsent(f)) return null;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(f, 'a number or null');
  }

  date(f: string): Date {
    const v = this.doc[f];
    return v instanceof Timestamp ? v.toDate() : this.fail(f, 'a timestamp');
  }

  dateOrNull(f: string): Date | null {
    return this.isAbsent(f) ? null : this.date(f);
  }

  stringList(f: string): string[] {
    const v = this.doc[f];
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : this.fail(f, 'a list of strings');
  }

  stringListOrEmpty(f: string): string[] {
    return this.isAbsent(f) ? [] : this.stringList(f);
  }

  stringMap(f: string): Record<string, string> {
    return this.doc[f] === undefined ? {} : this.mapOf(f, isString, 'a map of strings');
  }

  scalarMapOrUndefined(f: string): Record<string, string | number | boolean | null> | undefined {
    return this.isAbsent(f) ? undefined : this.mapOf(f, isScalar, 'a map of scalars');
  }

  map(f: string): Record<string, unknown> {
    return this.mapOf(f, isAnything, 'a map');
  }

  nestedOrNull(f: string): FieldReader | null {
    return this.isAbsent(f) ? null : readMap(this.documentPath, this.map(f), `${this.prefix}${f}.`);
  }

  nestedEntries(f: string): Array<[key: string, reader: FieldReader]> {
    const maps = this.doc[f] === undefined ? {} : this.mapOf(f, isMap, 'a map of maps');
    return Object.entries(maps).map(([key, value]) => [
      key,
      readMap(this.documentPath, value, `${this.prefix}${f}.${key}.`),
    ]);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isAnything = (_value: unknown): _value is unknown => true;

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
