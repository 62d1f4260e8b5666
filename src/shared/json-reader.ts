import { HttpError } from './errors.js';

/**
 * Minimal validation of untrusted JSON: read a field by path or fail with the path in the message
 * (the ingress turns that into a 400 naming the bad field; a job payload, into a failed job). Firestore documents
 * are read with src/store/firestore/decode.ts instead.
 */
export class JsonShapeError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = 'JsonShapeError';
  }
}

/** A plain object from an unknown JSON body, or an empty one, so field reads are always type-checked. */
export function toRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** Narrows a string read from JSON to one of a fixed list of values. */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

export interface JsonReader {
  string(path: string): string;
  optionalString(path: string): string | undefined;
  integer(path: string): number;
  boolean(path: string): boolean;
  optionalBoolean(path: string): boolean | undefined;
  booleanOr(path: string, fallback: boolean): boolean;
  oneOf<T extends string>(path: string, values: readonly T[]): T;
  has(path: string): boolean;
}

export function createJsonReader(root: unknown): JsonReader {
  const at = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (v, key) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined),
        root,
      );
  const fail = (path: string, expected: string): never => {
    throw new JsonShapeError(`field ${path} should be ${expected}`);
  };
  const absent = (v: unknown) => v === undefined || v === null;
  const reader: JsonReader = {
    string: (p) => {
      const v = at(p);
      return typeof v === 'string' ? toWellFormed(v) : fail(p, 'a string');
    },
    optionalString: (p) => (absent(at(p)) ? undefined : reader.string(p)),
    integer: (p) => {
      const v = at(p);
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(p, 'a non-negative integer');
    },
    boolean: (p) => {
      const v = at(p);
      return typeof v === 'boolean' ? v : fail(p, 'a boolean');
    },
    optionalBoolean: (p) => (absent(at(p)) ? undefined : reader.boolean(p)),
    booleanOr: (p, fallback) => reader.optionalBoolean(p) ?? fallback,
    oneOf: (p, values) => {
      const v = reader.string(p);
      return isOneOf(values, v) ? v : fail(p, `one of ${values.join(', ')}`);
    },
    has: (p) => !absent(at(p)),
  };
  return reader;
}

// A lone surrogate (legal in JSON's \uD800 escapes) makes Firestore refuse the whole write.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed (ES2024, newer than our lib): each lone surrogate becomes U+FFFD. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
