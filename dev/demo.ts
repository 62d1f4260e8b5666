import { randomUUID } from 'node:crypto';
import { startDemoStack, type DemoStack } from './local/demo-stack.js';
import { runDemo } from './local/demo-scenario.js';

/**
 * `npm run demo`: the product on an in-memory Firestore emulator with a local Slack and GitHub, one scripted PR's
 * life, and what every channel shows after each step. Exit 0 when it ran through; 1 with one line saying why not.
 */
const DEADLINE_MS = 55_000;
// No cloud metadata server to look for: everything runs on loopback.
process.env['METADATA_SERVER_DETECTION'] = 'none';

async function main(): Promise<void> {
  const startedAt = Date.now();
  process.stdout.write(
    'PR Notifier demo: the real app on loopback, with a local Slack, a local GitHub and an in-memory Firestore emulator\n',
  );
  let stack: DemoStack | null = null;
  try {
    // The one setting the demo takes from its environment: where the emulator jar is, when not at gcloud's path.
    const jar = process.env['FIRESTORE_EMULATOR_JAR']?.trim();
    stack = await startDemoStack({
      projectId: `demo-${randomUUID().slice(0, 8)}`,
      ...(jar ? { emulatorJar: jar } : {}),
    });
    await runDemo(stack, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await stack?.close();
  }
  process.stdout.write(`\nDemo finished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
}

const deadline = setTimeout(() => fail(new Error(`did not finish within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
deadline.unref();

function fail(err: unknown): never {
  // One line: the first of the error's message (an emulator start failure appends its output below it).
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`demo failed: ${message.split('\n')[0] ?? message}\n`);
  process.exit(1);
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(err),
);
