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

/** A class, not an object of closures: one is built per payload read, and closures (named ones under tsx) cost more. */
export function createJsonReader(root: unknown): JsonReader {
  return new PathReader(root);
}

class PathReader implements JsonReader {
  constructor(private readonly root: unknown) {}

  private at(path: string): unknown {
    let v = this.root;
    for (const key of path.split('.'))
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    return v;
  }

  private fail(path: string, expected: string): never {
    throw new JsonShapeError(`field ${path} should be ${expected}`);
  }

  private absent(path: string): boolean {
    const v = this.at(path);
    return v === undefined || v === null;
  }

  string(p: string): string {
    const v = this.at(p);
    return typeof v === 'string' ? toWellFormed(v) : this.fail(p, 'a string');
  }

  optionalString(p: string): string | undefined {
    return this.absent(p) ? undefined : this.string(p);
  }

  integer(p: string): number {
    const v = this.at(p);
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : this.fail(p, 'a non-negative integer');
  }

  boolean(p: string): boolean {
    const v = this.at(p);
    return typeof v === 'boolean' ? v : this.fail(p, 'a boolean');
  }

  optionalBoolean(p: string): boolean | undefined {
    return this.absent(p) ? undefined : this.boolean(p);
  }

  booleanOr(p: string, fallback: boolean): boolean {
    return this.optionalBoolean(p) ?? fallback;
  }

  oneOf<T extends string>(p: string, values: readonly T[]): T {
    const v = this.string(p);
    return isOneOf(values, v) ? v : this.fail(p, `one of ${values.join(', ')}`);
  }

  has(p: string): boolean {
    return !this.absent(p);
  }
}

// A lone surrogate (legal in JSON's \uD800 escapes) makes Firestore refuse the whole write.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed (ES2024, newer than our lib): each lone surrogate becomes U+FFFD. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
