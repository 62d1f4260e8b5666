import { useEmulator } from './emulator.js';
import { createTestApp } from '../test/support/test-app.js';

/**
 * Firestore reads of one idle instance (the whole app, nothing to do), as Firestore bills them: the job queue counts
 * every document it reads, and 1 for a query that returns none. Prints reads in the window and per idle hour.
 * `IDLE_SECONDS` (default 60) sets the window; the queue's safety look (every 5 minutes, 1 read) is added per hour.
 */
process.env['METADATA_SERVER_DETECTION'] = 'none';
const seconds = Number(process.env['IDLE_SECONDS'] ?? '60');
const emulator = await useEmulator(process.env);
try {
  const t = await createTestApp({ emulatorHost: emulator.host });
  try {
    // Let start-up settle (the first look and the watch's first snapshot).
    await new Promise((r) => setTimeout(r, 3_000));
    const before = t.app.queue.reads();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const reads = t.app.queue.reads() - before;
    const safetyLooksPerHour = 12;
    const perHour = Math.round((reads / seconds) * 3600) + safetyLooksPerHour;
    process.stdout.write(
      `idle ${seconds} s: ${reads} reads; per idle instance-hour: ${perHour} (incl. ${safetyLooksPerHour} safety looks)\n`,
    );
    process.stdout.write(`${JSON.stringify({ idleSeconds: seconds, reads, readsPerIdleHour: perHour })}\n`);
  } finally {
    await t.close();
  }
} finally {
  await emulator.stop();
}
