import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/**
 * `npm run demo` as a newcomer runs it: a real process in the checkout, with a clean environment (PATH and HOME only;
 * no Firestore, Slack or GitHub variable), so it must bring everything up itself. What it prints is the contract.
 */
function runDemo(
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now();
  const home = mkdtempSync(join(tmpdir(), 'pr-notifier-demo-home-'));
  const child = spawn(process.execPath, [TSX, 'dev/demo.ts'], {
    cwd: CHECKOUT,
    env: { PATH: process.env['PATH'] ?? '', HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err, ms: Date.now() - started })));
}

/** The lines under `== Summary`. */
const summaryOf = (out: string) => out.slice(out.indexOf('== Summary')).split('\n');

describe('npm run demo', () => {
  it('replays a PR through the real routes and ends with every channel in the right state, in under a minute', async () => {
    const run = await runDemo();
    expect(run.err, run.out).not.toContain('demo failed');
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    expect(run.ms).toBeLessThan(60_000);

    // Both workspaces were installed through OAuth and subscribed by command.
    expect(run.out).toMatch(/adds PR Notifier to Acme .*\[install page 200\]/);
    expect(run.out).toMatch(/adds PR Notifier to Globex .*\[install page 200\]/);
    expect(run.out).toContain('Subscribed: `octo-org/web` now posts in #eng');
    expect(run.out).toContain('Subscribed: `octo-org/web` now posts in #releases');
    expect(run.out).toContain('GitHub account @alice-gh is now linked to you');

    // The redelivery is recognised and posts nothing more.
    const redelivery = run.out.slice(run.out.indexOf('redelivers'), run.out.indexOf('requests changes'));
    expect(redelivery).toContain('[webhook answered 200]');
    expect(redelivery.match(/- #42 /g)).toHaveLength(2);

    const summary = summaryOf(run.out);
    // Exactly one message about the PR per channel; the live channel ends merged, with its reactions, and its thread
    // has the approval, the change request and the merge.
    expect(summary).toContainEqual(
      expect.stringMatching(
        /^ {3}Acme #eng: 1 message, PR #42 merged · reactions :white_check_mark: :tada: · 1 post, 3 thread replies, /,
      ),
    );
    // The archived channel keeps its last message (before the archive) and the workspace is told.
    expect(summary).toContainEqual(
      expect.stringMatching(/^ {3}Globex #releases \[archived\]: 1 message, PR #42 open /),
    );
    expect(summary).toContainEqual(expect.stringContaining('refused: channel archived'));
    expect(summary).toContainEqual(
      expect.stringContaining('Globex #releases was archived: its message keeps what it showed then'),
    );
    expect(summary).toContainEqual(expect.stringContaining('`octo-org/web` → #releases (paused: is_archived)'));
    expect(run.out).toContain('I stopped posting pull requests from octo-org/web to #releases');

    // The late (older) delivery did not take the message back; the title edit the merge carried is shown.
    const afterLate = run.out.slice(run.out.indexOf('arrives late'), run.out.indexOf('== Summary'));
    expect(afterLate).toContain('#42 Add dark mode and a theme switch');
    expect(afterLate).toMatch(/State: merged/);
    expect(afterLate).not.toMatch(/Author: @alice .*State: open/);

    expect(run.out).toContain('npm start');
  }, 90_000);

  it('stops with exit 1 and one line saying what is missing when the emulator cannot start', async () => {
    const run = await runDemo({ FIRESTORE_EMULATOR_JAR: join(tmpdir(), 'no-such-dir', 'emulator.jar') });
    expect(run.code).toBe(1);
    const lines = run.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo failed: Firestore emulator jar not found at .*no-such-dir/);
  }, 60_000);
});
