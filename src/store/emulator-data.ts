import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The emulator's data kept in a directory across runs: imported on start from the last export, exported on stop. */
const EXPORT_NAME = 'export';

export function exportMetadataPath(dir: string): string {
  return join(resolve(dir), EXPORT_NAME, `${EXPORT_NAME}.overall_export_metadata`);
}

/**
 * The jar's own --export-on-exit does not fire when it is stopped by a signal, so export through its REST API:
 * into a fresh directory first, then swap it in, so a failed export never destroys the previous data.
 */
export async function exportData(host: string, persist: { dir: string; projectId: string }): Promise<void> {
  const dir = resolve(persist.dir);
  const staging = mkdtempSync(join(dir, '.staging-'));
  const res = await fetch(`http://${host}/emulator/v1/projects/${persist.projectId}:export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ database: `projects/${persist.projectId}/databases/(default)`, export_directory: staging, export_name: EXPORT_NAME }),
  });
  if (!res.ok) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`exporting emulator data failed: ${res.status} ${await res.text()}`);
  }
  rmSync(join(dir, EXPORT_NAME), { recursive: true, force: true });
  renameSync(join(staging, EXPORT_NAME), join(dir, EXPORT_NAME));
  rmSync(staging, { recursive: true, force: true });
}
