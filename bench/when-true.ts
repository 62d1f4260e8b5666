/**
 * Polls `done` every few ms until it holds; resolves with the moment it was first seen to hold (performance.now()),
 * or null once `timeoutMs` has passed. Precision is the poll interval. `done` may ask Firestore (it is awaited).
 */
export async function whenTrue(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 5,
): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await done()) return performance.now();
    if (performance.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
