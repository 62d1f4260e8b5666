import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that a reader (or the next start after a crash or Ctrl-C) sees the old content or the new one,
 * never half of it: a temporary file next to it, then a rename over it.
 */
export function writeFileAtomic(path: string, content: string, options: { mode?: number } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: options.mode ?? 0o644 });
  renameSync(temporary, path);
}
