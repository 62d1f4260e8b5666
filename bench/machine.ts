import { cpus, totalmem } from 'node:os';
import { toMiB } from './stats.js';

/** The machine a run was measured on, for the results file. */
export function describeMachine(): { cpu: string; cores: number; memoryGiB: number; node: string } {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((toMiB(totalmem()) / 1024) * 10) / 10,
    node: process.version,
  };
}
