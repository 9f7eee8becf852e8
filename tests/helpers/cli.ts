// Runs the built `markethub` command as a user would, capturing output and exit code.
import { spawn } from 'node:child_process';
import { fromProjectRoot } from '../../src/project-paths.js';

export const CLI_PATH = fromProjectRoot('dist', 'cli', 'index.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env } as Record<string, string | undefined>;
    delete env.DATABASE_URL;
    delete env.MARKETHUB_SOURCE_URL;
    for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env: env as NodeJS.ProcessEnv, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
