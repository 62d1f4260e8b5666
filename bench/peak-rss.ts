import { readFileSync } from 'node:fs';
import { toMiB } from './stats.js';

/** A live process's peak resident set (VmHWM in /proc), in MiB; null where /proc is not there or it has exited. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? toMiB(Number(match[1]) * 1024) : null;
  } catch {
    return null;
  }
}

/** This process's peak resident set so far, in MiB. */
export const ownPeakRssMiB = () => toMiB(process.resourceUsage().maxRSS * 1024);
