import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Compiles the server into dist/ as `npm run build` does: the scale-out stage runs it as the container does
 * (`node dist/main.js`), not through the TypeScript loader `npm start` uses while developing, whose per-call costs
 * (stack traces mapped through source maps, a resolver on every `require`) a deployment does not pay.
 */
export async function buildServer(): Promise<void> {
  await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
  }).catch((err: { stdout?: string }) => {
    // tsc reports its errors on stdout.
    throw new Error(`npm run build failed:\n${err.stdout ?? String(err)}`);
  });
}
