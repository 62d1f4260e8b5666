import { spawn } from 'node:child_process';
import { shellQuote } from '../../src/github-app-setup/secret-commands.js';

/**
 * One command of the deploy. A `check` only reads (describe, list); a `change` creates or updates something.
 * A secret value travels on stdin and is shown only by its `stdinLabel`, never printed.
 */
export interface Command {
  program: 'gcloud' | 'npx';
  args: string[];
  kind: 'check' | 'change';
  stdin?: { value: string; label: string };
}

export interface CommandResult {
  ok: boolean;
  stdout: string;
}

export interface Shell {
  readonly dryRun: boolean;
  /** A check answers what it found; a failed change throws. In a dry run nothing runs: checks find nothing. */
  run(command: Command): Promise<CommandResult>;
  say(text: string): void;
}

export function printable(command: Command): string {
  const line = [command.program, ...command.args].map(shellQuote).join(' ');
  return command.stdin ? `${line} < ${command.stdin.label}` : line;
}

export function createShell(options: { dryRun: boolean; out: (text: string) => void }): Shell {
  const { dryRun, out } = options;
  return {
    dryRun,
    say: out,
    async run(command) {
      out(`${command.kind === 'check' ? '  ?' : '  $'} ${printable(command)}`);
      if (dryRun) return { ok: false, stdout: '' };
      const result = await exec(command);
      if (command.kind === 'change' && !result.ok) {
        throw new Error(`this command failed (exit ${result.code}):\n  ${printable(command)}\n${result.stderr.trim()}`);
      }
      return { ok: result.ok, stdout: result.stdout };
    },
  };
}

function exec(command: Command): Promise<{ ok: boolean; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.program, command.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      // Long changes (the build and deploy) report progress on stderr: let the operator see it.
      if (command.kind === 'change') process.stderr.write(c);
    });
    child.on('error', (err) =>
      reject(new Error(`could not run ${command.program}: ${err.message} (is it installed and on PATH?)`)),
    );
    child.on('close', (code) => resolve({ ok: code === 0, code, stdout, stderr }));
    child.stdin.end(command.stdin?.value ?? '');
  });
}
