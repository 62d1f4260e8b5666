import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The emulator's data kept in a directory across runs: imported on start from the last export, exported on stop. */
const EXPORT_NAME = 'export';
/** The export being replaced, kept until the new one is in place. */
const PREVIOUS_NAME = 'export.previous';
const STAGING_PREFIX = '.staging-';

export function exportMetadataPath(dir: string): string {
  return join(resolve(dir), EXPORT_NAME, `${EXPORT_NAME}.overall_export_metadata`);
}

/**
 * Before the emulator imports: a stop that was cut short mid-swap left the good data as `export.previous`
 * (bring it back), and an export cut short left a `.staging-*` folder (drop it: it was never complete).
 */
export function recoverExport(dir: string): void {
  const root = resolve(dir);
  if (!existsSync(root)) return;
  const current = join(root, EXPORT_NAME);
  const previous = join(root, PREVIOUS_NAME);
  if (!existsSync(exportMetadataPath(root)) && existsSync(previous)) {
    rmSync(current, { recursive: true, force: true });
    renameSync(previous, current);
  }
  rmSync(previous, { recursive: true, force: true });
  for (const name of readdirSync(root))
    if (name.startsWith(STAGING_PREFIX)) rmSync(join(root, name), { recursive: true, force: true });
}

/**
 * The jar's own --export-on-exit does not fire when it is stopped by a signal, so export through its REST API:
 * into a fresh directory first, then swap it in with renames (the old export is moved aside before the new one takes
 * its name, and removed last), so at every moment a complete export exists: a half-written one never replaces it.
 */
export async function exportData(host: string, persist: { dir: string; projectId: string }): Promise<void> {
  const dir = resolve(persist.dir);
  const staging = mkdtempSync(join(dir, STAGING_PREFIX));
  try {
    const res = await fetch(`http://${host}/emulator/v1/projects/${persist.projectId}:export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        database: `projects/${persist.projectId}/databases/(default)`,
        export_directory: staging,
        export_name: EXPORT_NAME,
      }),
    });
    if (!res.ok) throw new Error(`exporting emulator data failed: ${res.status} ${await res.text()}`);
    const current = join(dir, EXPORT_NAME);
    const previous = join(dir, PREVIOUS_NAME);
    rmSync(previous, { recursive: true, force: true });
    if (existsSync(current)) renameSync(current, previous);
    renameSync(join(staging, EXPORT_NAME), current);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
