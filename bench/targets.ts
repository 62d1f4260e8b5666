import type { BenchResults } from './report.js';

export interface Target {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

/** Limits the bench holds the app to. CONTRACT §6 sets the ingress one; the others are ours, with their reasons. */
export const LIMITS = {
  ingressP95Ms: 1000,
  /** Half the events: coalescing must save at least every other call (the ideal is 3: a post and two reactions). */
  burstCallsPerWorkspace: 10,
  /** Less than one retained 21 KB example payload per delivery: a per-delivery leak of any real size shows. */
  heapGrowthMiB: 8,
} as const;

export function checkTargets(r: BenchResults): Target[] {
  const biggest = r.ingress.reduce((a, b) => (b.fanOut > a.fanOut ? b : a));
  const failed = r.ingress.reduce((n, s) => n + s.failures, 0) + r.burst.failures + r.memory.failures;
  const fanOutIncomplete = r.fanOut.reduce((n, s) => n + s.incomplete, 0);
  const complete = fanOutIncomplete === 0 && r.memory.unposted === 0;
  return [
    {
      name: `ingress p95 at N=${biggest.fanOut}`,
      target: `< ${LIMITS.ingressP95Ms} ms`,
      actual: `${biggest.latency.p95} ms`,
      pass: biggest.latency.p95 < LIMITS.ingressP95Ms,
    },
    { name: 'every delivery answered 202', target: '0 failed', actual: `${failed} failed`, pass: failed === 0 },
    {
      name: 'every post of the fan-out and memory stages reached Slack',
      target: 'all',
      actual: `fan-out runs incomplete ${fanOutIncomplete}, memory stage unposted ${r.memory.unposted}`,
      pass: complete,
    },
    {
      name: `burst: Slack calls per workspace (${r.burst.events} events)`,
      target: `<= ${LIMITS.burstCallsPerWorkspace}`,
      actual: `max ${r.burst.callsPerWorkspace.max}`,
      pass: r.burst.callsPerWorkspace.max <= LIMITS.burstCallsPerWorkspace,
    },
    {
      name: 'burst: end state in every workspace',
      target: `${r.burst.workspaces}/${r.burst.workspaces}`,
      actual: `${r.burst.converged}/${r.burst.workspaces}`,
      pass: r.burst.converged === r.burst.workspaces,
    },
    {
      name: `heap growth over ${r.memory.deliveries} deliveries`,
      target: `< ${LIMITS.heapGrowthMiB} MiB`,
      actual: `${r.memory.heapGrowthMiB} MiB`,
      pass: r.memory.heapGrowthMiB < LIMITS.heapGrowthMiB,
    },
  ];
}
