import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Compiles the server into dist/ as `npm run build` does: the scale-out stage runs it as the container does
 * (`node dist/main.js`), not through the TypeScript loader `npm start` uses while developing, whose per-call costs
 * (stack traces mapped through source maps, a resolver on every `require`) a deployment does not pay.
 */
export function buildServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    tsc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    tsc.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    tsc.once('error', reject);
    tsc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (${code}):\n${out}`))));
  });
}
