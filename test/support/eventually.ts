/**
 * Retries an assertion until it passes or the time is up, then rethrows its last failure (so the test report
 * shows the real mismatch, not "timed out"). For outcomes reached by background work, e.g. the job worker.
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 10;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 100);
  }
}
