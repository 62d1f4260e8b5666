import type { LogPort } from '../../../src/pipeline/ports.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A LogPort that keeps its lines (with the child bindings merged in), so a test can read what an operator would. */
export function createRecordingLog(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): LogPort & {
  lines: LogLine[];
} {
  const write = (level: LogLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, msg: msg ?? '', fields: { ...bindings, ...obj } });
  };
  return {
    lines,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createRecordingLog(lines, { ...bindings, ...more }),
  };
}
