import { FieldValue } from '@google-cloud/firestore';
import { COLLECTIONS, ids } from '../ids.js';
import type { WorkspaceStoreBase } from '../recent-workspaces.js';
import type { WorkspaceRecord } from '../types.js';
import { recordInTransaction } from './audit-log.js';
import { readFields, StoreDataError } from './decode.js';
import type { StoreDeps } from './store-deps.js';

/** `workspaceId` is the id it was read under: a document copied whole from another workspace is refused. */
function toWorkspace(path: string, data: unknown, workspaceId: string): WorkspaceRecord {
  const f = readFields(path, data);
  const stored = f.string('workspace_id');
  if (stored !== workspaceId) throw new StoreDataError(path, 'workspace_id', JSON.stringify(workspaceId), stored);
  return {
    workspaceId,
    teamName: f.stringOrNull('team_name'),
    enterpriseId: f.stringOrNull('enterprise_id'),
    isEnterpriseInstall: f.boolean('is_enterprise_install'),
    botUserId: f.stringOrNull('bot_user_id'),
    encryptedInstallation: f.stringOrNull('installation_encrypted'),
    installedAt: f.date('installed_at'),
    uninstalledAt: f.dateOrNull('uninstalled_at'),
  };
}

export function createFirestoreWorkspaceStore(options: StoreDeps): WorkspaceStoreBase {
  const { db, transactions, io } = options;
  const ref = (workspaceId: string) => db.collection(COLLECTIONS.workspaces).doc(ids.workspace(workspaceId));
  return {
    async saveInstallation(input) {
      // Merge keeps fields other parts of the app may add; a reinstall resumes the workspace.
      await ref(input.workspaceId).set(
        {
          workspace_id: input.workspaceId,
          team_name: input.teamName,
          enterprise_id: input.enterpriseId,
          is_enterprise_install: input.isEnterpriseInstall,
          bot_user_id: input.botUserId,
          installation_encrypted: input.encryptedInstallation,
          installed_at: input.at,
          uninstalled_at: FieldValue.delete(),
          updated_at: input.at,
        },
        { merge: true },
      );
    },
    async get(workspaceId) {
      const snap = await io.get(ref(workspaceId));
      return snap.exists ? toWorkspace(snap.ref.path, snap.data(), workspaceId) : null;
    },
    async markUninstalled(input) {
      const docRef = ref(input.workspaceId);
      await transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        // Never installed: a signed but unsolicited event must not create documents or audit entries.
        if (!snap.exists) return;
        if (input.onlyIfInstallation !== undefined && snap.get('installation_encrypted') !== input.onlyIfInstallation)
          return;
        tx.update(docRef, {
          installation_encrypted: FieldValue.delete(),
          uninstalled_at: input.at,
          updated_at: input.at,
        });
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'workspace.uninstall',
          target: input.workspaceId,
          at: input.at,
          details: { reason: input.reason },
        });
      });
    },
    async listIds() {
      // Document ids, not the field inside: a document copied under another id is then met (and refused by get)
      // rather than its source visited twice. Ids only (no filter, so no index); sorted here, as the contract says.
      const snap = await db.collection(COLLECTIONS.workspaces).select().get();
      return snap.docs.map((doc) => toWorkspaceIdOfDocument(doc.id)).sort();
    },
    async replaceInstallation(input) {
      const docRef = ref(input.workspaceId);
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        if (!snap.exists || snap.get('installation_encrypted') !== input.expected) return false;
        tx.update(docRef, { installation_encrypted: input.replacement, updated_at: input.at });
        return true;
      });
    },
  };
}

/** ids.workspace() keeps a workspace id as its document id; checked, so a change there cannot go unnoticed here. */
function toWorkspaceIdOfDocument(documentId: string): string {
  if (ids.workspace(documentId) !== documentId)
    throw new Error(`workspace document id ${documentId} is not a workspace id`);
  return documentId;
}
