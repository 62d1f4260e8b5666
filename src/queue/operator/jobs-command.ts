import type { JobAdminStore, QueueCounts } from '../job-store.js';

/** `npm run jobs -- status | retry <id>|--all-dead | drop <id>|--all-dead`: parsing, running, and what it prints. */
export type JobsCommand = { kind: 'status' } | { kind: 'retry' | 'drop'; target: { id: string } | { allDead: true } };

export const JOBS_USAGE = [
  'usage: npm run jobs -- status',
  '       npm run jobs -- retry <job id> | --all-dead   (run a dead job again, with a fresh retry budget)',
  '       npm run jobs -- drop <job id> | --all-dead    (delete a dead job for good)',
].join('\n');

export function parseJobsCommand(argv: readonly string[]): JobsCommand | { error: string } {
  const [verb, target, ...rest] = argv;
  if (verb === 'status' && target === undefined) return { kind: 'status' };
  if ((verb === 'retry' || verb === 'drop') && target !== undefined && rest.length === 0) {
    return { kind: verb, target: target === '--all-dead' ? { allDead: true } : { id: target } };
  }
  return { error: JOBS_USAGE };
}

const DEAD_SHOWN = 5;

export function formatCounts(counts: QueueCounts): string[] {
  const waits = Object.entries(counts.waiting);
  const waiting = waits.reduce((n, [, c]) => n + c, 0);
  const reasons = waits.length > 0 ? ` (${waits.map(([r, c]) => `${r} ${c}`).join(', ')})` : '';
  return [
    `due now ${counts.due}, retrying ${counts.retrying}, waiting ${waiting}${reasons}, running ${counts.running}, dead ${counts.dead}`,
    `oldest due job: ${counts.oldestDueMs === 0 ? 'none overdue' : `${Math.round(counts.oldestDueMs / 1000)} s overdue`}`,
  ];
}

/** Runs the command; `write` prints one line. Returns the exit code. */
export async function runJobsCommand(
  command: JobsCommand,
  deps: { admin: JobAdminStore; now: () => Date; write: (line: string) => void },
): Promise<number> {
  const { admin, write } = deps;
  if (command.kind === 'status') {
    formatCounts(await admin.counts(deps.now())).forEach(write);
    const dead = await admin.listDead(DEAD_SHOWN);
    if (dead.length > 0) write(`dead jobs (up to ${DEAD_SHOWN}):`);
    for (const job of dead) {
      write(`  ${job.id}  died ${job.finishedAt?.toISOString() ?? '?'}  last error: ${job.lastError ?? '(none)'}`);
    }
    return 0;
  }
  const ids = 'id' in command.target ? [command.target.id] : await admin.deadIds();
  let changed = 0;
  for (const id of ids) {
    const ok = command.kind === 'retry' ? await admin.retryDead({ id, now: deps.now() }) : await admin.dropDead(id);
    if (ok) changed += 1;
    else write(`not dead (or not found), left alone: ${id}`);
  }
  write(`${command.kind === 'retry' ? 'pending again' : 'dropped'}: ${changed}`);
  return 'id' in command.target && changed === 0 ? 1 : 0;
}
