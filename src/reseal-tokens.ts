import { loadEntryPointConfig } from './entry-point.js';
import { createLogger } from './log.js';
import { resealInstallations } from './security/reseal-installations.js';
import { createTokenCipher } from './security/token-cipher.js';
import { createWorkspaceTokens } from './security/workspace-tokens.js';
import { createFirestoreStore } from './store/firestore/index.js';
import { openFirestore } from './store/open-firestore.js';

/**
 * `npm run reseal-tokens`: re-seals every stored Slack installation under the newest TOKEN_ENCRYPTION_KEY
 * (after adding a key in front of the list), so older keys can then be removed. Reads the same configuration and
 * Firestore as the server (main.ts). Safe to run while the server runs, and to run again. Prints counts and the
 * workspaces that failed, never a token. Exit code 1 when a workspace failed.
 */
async function run(): Promise<number> {
  const config = loadEntryPointConfig();
  const log = createLogger({ level: config.logLevel });
  const firestore = await openFirestore(config.firestore, log);
  try {
    const store = createFirestoreStore(firestore.db);
    const cipher = createTokenCipher({ keys: config.tokenEncryptionKeys });
    const keyCount = config.tokenEncryptionKeys.length;
    process.stdout.write(
      `Re-sealing Slack installations under key ${cipher.currentKeyId} (the newest of ${keyCount} configured).\n`,
    );
    const counts = await resealInstallations({
      workspaces: store.workspaces,
      tokens: createWorkspaceTokens({ workspaces: store.workspaces, cipher }),
      now: () => new Date(),
      onFailure: ({ workspaceId, reason }) => process.stdout.write(`failed: workspace ${workspaceId}: ${reason}\n`),
    });
    process.stdout.write(
      `resealed ${counts.resealed}, already current ${counts.current}, failed ${counts.failed}, not installed ${counts.notInstalled}\n`,
    );
    return counts.failed > 0 ? 1 : 0;
  } finally {
    await firestore.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`reseal-tokens failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
