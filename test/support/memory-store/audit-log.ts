import type { AuditEntry, AuditLog } from '../../../src/store/types.js';
import { copy, type Serial } from './serial.js';

const DEFAULT_LIMIT = 50;

export interface MemoryAuditLog extends AuditLog {
  /** Appends inside a caller's serialized section, as the Firestore store does inside its transaction. */
  append(entry: AuditEntry): void;
}

export function createMemoryAuditLog(serial: Serial): MemoryAuditLog {
  const entries: AuditEntry[] = [];
  const append = (entry: AuditEntry) => {
    entries.push(copy(entry));
  };
  return {
    append,
    record: (entry) => serial(() => append(entry)),
    listForWorkspace: (workspaceId, limit = DEFAULT_LIMIT) =>
      serial(() =>
        entries
          .filter((e) => e.workspaceId === workspaceId)
          .sort((a, b) => b.at.getTime() - a.at.getTime())
          .slice(0, limit)
          .map(copy),
      ),
  };
}
