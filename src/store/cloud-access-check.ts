import type { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-auth-library';
import { toRecord } from '../shared/json-reader.js';
import { COLLECTIONS } from './ids.js';

/** Cloud Firestore cannot be used as configured; the message says what to set or grant, for an operator. */
export class FirestoreAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirestoreAccessError';
  }
}

const CHECK_TIMEOUT_MS = 15_000;
/** gRPC status codes Firestore answers with. */
const PERMISSION_DENIED = 7;
const NOT_FOUND = 5;
const UNAUTHENTICATED = 16;

/**
 * Reads one (usually absent) document before the server starts, so missing credentials, a missing role or a missing
 * database stop start-up with one sentence naming the fix, instead of a stack trace from deep inside the SDK later.
 */
export async function checkCloudFirestoreAccess(
  db: Firestore,
  target: { projectId: string; databaseId: string },
): Promise<void> {
  const where = `project ${target.projectId}, database ${target.databaseId}`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    // The SDK throws a missing credential from inside its connection set-up, as an uncaught exception: look first.
    await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/datastore'] }).getClient();
    const outcome = await Promise.race([db.collection(COLLECTIONS.workspaces).doc('_startup_probe').get(), timeout]);
    if (outcome === 'timeout')
      throw new FirestoreAccessError(
        `Cloud Firestore (${where}) did not answer within ${CHECK_TIMEOUT_MS / 1000} s: check the network and that the Firestore API is enabled.`,
      );
  } catch (err) {
    if (err instanceof FirestoreAccessError) throw err;
    throw new FirestoreAccessError(explain(err, where, target));
  } finally {
    clearTimeout(timer);
  }
}

function explain(err: unknown, where: string, target: { projectId: string; databaseId: string }): string {
  const { code, message } = toRecord(err);
  const text = typeof message === 'string' ? message : String(err);
  if (text.includes('Could not load the default credentials')) {
    return `No Google credentials found for Cloud Firestore (${where}). On Cloud Run they come from the service's service account; elsewhere run \`gcloud auth application-default login\` or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file. To use an emulator instead, set FIRESTORE_EMULATOR_HOST.`;
  }
  if (code === PERMISSION_DENIED) {
    return `The Google credentials in use may not read Cloud Firestore (${where}): grant the service account the role roles/datastore.user on project ${target.projectId} (and check the Firestore API is enabled).`;
  }
  if (code === NOT_FOUND) {
    return `Cloud Firestore database ${target.databaseId} does not exist in project ${target.projectId}: create it (\`gcloud firestore databases create --database='${target.databaseId}' --location=REGION --project=${target.projectId}\`) or set FIRESTORE_DATABASE_ID.`;
  }
  if (code === UNAUTHENTICATED) {
    return `Google refused the credentials in use for Cloud Firestore (${where}): they are invalid or expired. Renew them (\`gcloud auth application-default login\`) or check GOOGLE_APPLICATION_CREDENTIALS.`;
  }
  return `Cloud Firestore (${where}) could not be used: ${text.split('\n')[0] ?? text}`;
}
