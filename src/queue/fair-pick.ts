/**
 * Which due jobs a runner claims next. Due ids come most overdue first; they are taken in a shuffled order (so
 * several instances reading the same head of the queue mostly claim different jobs instead of racing for the same
 * ones), and no group (a workspace, a repo's fan-outs) gets more than its `most` jobs in flight, so one backlog
 * never takes every slot. Also answers the jobs a group's bound held back (most overdue first).
 */
export function fairPick(input: {
  due: readonly string[];
  free: number;
  groupOf: (id: string) => JobGroup;
  /** Jobs of each group in flight now. */
  inFlight: ReadonlyMap<string, number>;
  random?: () => number;
}): { picked: string[]; heldBack: string[] } {
  const random = input.random ?? Math.random;
  const order = [...input.due];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const taken = new Map(input.inFlight);
  const picked: string[] = [];
  const held = new Set<string>();
  for (const id of order) {
    if (picked.length >= input.free) break;
    const group = input.groupOf(id);
    const n = taken.get(group.name) ?? 0;
    if (n >= group.most) {
      held.add(id);
      continue;
    }
    taken.set(group.name, n + 1);
    picked.push(id);
  }
  return { picked, heldBack: input.due.filter((id) => held.has(id)) };
}

/** A group of jobs, and how many of them may be in flight at once. */
export interface JobGroup {
  name: string;
  most: number;
}

/** The group of a job id `kind#group#…` (a reconcile job's workspace); an id without a second part is its own group. */
export function groupOfJobId(id: string): string {
  const parts = id.split('#');
  return parts.length > 2 ? `${parts[0]}#${parts[1]}` : id;
}
