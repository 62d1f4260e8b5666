import { loadEntryPointConfig } from './entry-point.js';
import { createLogger } from './log.js';
import { createFirestoreJobAdmin } from './store/queue/job-admin.js';
import { parseJobsCommand, runJobsCommand } from './queue/operator/jobs-command.js';
import { createReadCounter } from './queue/read-counter.js';
import { openFirestore } from './store/open-firestore.js';

/**
 * `npm run jobs -- status|retry|drop`: the operator's view of the job queue (counts, oldest due job, dead jobs with
 * their last error) and the way to re-run or drop dead jobs. Reads the same configuration and Firestore as the
 * server; safe while it runs (each change is a transaction that only touches a job that is still dead).
 */
async function run(): Promise<number> {
  const command = parseJobsCommand(process.argv.slice(2));
  if ('error' in command) {
    process.stderr.write(`${command.error}\n`);
    return 2;
  }
  const config = loadEntryPointConfig();
  const firestore = await openFirestore(config.firestore, createLogger({ level: config.logLevel }));
  try {
    const admin = createFirestoreJobAdmin(firestore.db, { reads: createReadCounter() });
    return await runJobsCommand(command, {
      admin,
      now: () => new Date(),
      write: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await firestore.close();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`jobs failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
