// Vercel's own Node runtime in front of a function: @vercel/node's dev server (the function wrapper
// Vercel runs, with its request helpers), started on a free port for one entry point under dist/.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.js';

export interface VercelDev {
  url: string;
  /** What the function wrote to stdout and stderr so far. */
  output(): string;
  close(): Promise<void>;
}

const DEV_SERVER = path.join(path.dirname(createRequire(import.meta.url).resolve('@vercel/node/package.json')), 'dist', 'dev-server.mjs');

/**
 * `entry` is relative to the project root (the dev server resolves it from its working directory).
 * `helpers: false` is what NODEJS_HELPERS=0 in the build environment gives.
 */
export async function startVercelDev(entry: string, options: { helpers?: boolean; env?: Record<string, string> } = {}): Promise<VercelDev> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [DEV_SERVER], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      ...options.env,
      VERCEL_DEV_ENTRYPOINT: entry,
      VERCEL_DEV_PORT: '0',
      VERCEL_DEV_CONFIG: JSON.stringify({}),
      VERCEL_DEV_BUILD_ENV: JSON.stringify(options.helpers === false ? { NODEJS_HELPERS: '0' } : {}),
    },
  });
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('exit', (code) => reject(new Error(`the Vercel dev server exited (${code}) before listening: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    output: () => output,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
