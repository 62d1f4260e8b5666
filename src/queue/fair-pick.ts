/**
 * Which due jobs a runner claims next. Due ids come most overdue first; they are taken in a shuffled order (so
 * several instances reading the same head of the queue mostly claim different jobs instead of racing for the same
 * ones), and no group (a workspace) gets more than `perGroup` jobs in flight, so one workspace's backlog never
 * takes every slot.
 */
export function fairPick(input: {
  due: readonly string[];
  free: number;
  perGroup: number;
  groupOf: (id: string) => string;
  /** Jobs of each group in flight now. */
  inFlight: ReadonlyMap<string, number>;
  random?: () => number;
}): string[] {
  const random = input.random ?? Math.random;
  const order = [...input.due];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const taken = new Map(input.inFlight);
  const picked: string[] = [];
  for (const id of order) {
    if (picked.length >= input.free) break;
    const group = input.groupOf(id);
    const n = taken.get(group) ?? 0;
    if (n >= input.perGroup) continue;
    taken.set(group, n + 1);
    picked.push(id);
  }
  return picked;
}

/** The group of a job id `kind#group#…` (a reconcile job's workspace); an id without a second part is its own group. */
export function groupOfJobId(id: string): string {
  const parts = id.split('#');
  return parts.length > 2 ? `${parts[0]}#${parts[1]}` : id;
}
