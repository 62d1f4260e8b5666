/**
 * Work that continues after Bolt has acknowledged a request (the reply to a slash command). On SIGTERM the
 * feature waits for it, so a user never loses an answer that was already being prepared.
 */
export function createInFlight() {
  const running = new Set<Promise<unknown>>();
  return {
    async track<T>(work: Promise<T>): Promise<T> {
      running.add(work);
      try {
        return await work;
      } finally {
        running.delete(work);
      }
    },
    async drain(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
