import type { DocumentData, DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';
import type { AuditEntry, AuditLog } from '../types.js';
import { readFields } from './decode.js';
import { buildQuery, QUERIES } from './queries.js';

const DEFAULT_LIMIT = 50;

function toAuditData(entry: AuditEntry): DocumentData {
  return {
    slack_team_id: entry.workspaceId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    at: entry.at,
    details: entry.details ?? null,
  };
}

function toAuditEntry(path: string, data: unknown): AuditEntry {
  const f = readFields(path, data);
  const details = f.scalarMapOrUndefined('details');
  return {
    workspaceId: f.string('slack_team_id'),
    actor: f.string('actor'),
    action: f.string('action'),
    target: f.string('target'),
    at: f.date('at'),
    ...(details ? { details } : {}),
  };
}

/** Adds an audit entry to a transaction, so the change and its audit record commit together. */
export function recordInTransaction(db: Firestore, tx: Transaction, entry: AuditEntry): void {
  const ref: DocumentReference = db.collection(COLLECTIONS.auditLog).doc();
  tx.create(ref, toAuditData(entry));
}

export function createFirestoreAuditLog(db: Firestore): AuditLog {
  return {
    async record(entry) {
      await db.collection(COLLECTIONS.auditLog).add(toAuditData(entry));
    },
    async listForWorkspace(workspaceId, limit = DEFAULT_LIMIT) {
      const snap = await buildQuery(db, QUERIES.auditForWorkspace, [workspaceId], limit).get();
      return snap.docs.map((d) => toAuditEntry(d.ref.path, d.data()));
    },
  };
}
