// A local S3-compatible server (s3rver) on loopback, for tests, the demo and `markethub s3 serve`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { runnableScript } from '../project-paths.js';

const SERVER_SCRIPT = runnableScript(import.meta.url, 'server-process.js');

/** The access key s3rver accepts (its secret is the same). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3ServerOptions {
  dir: string;
  /** 0 picks a free port. */
  port?: number;
  address?: string;
  buckets?: string[];
  /** Let the server write its own output to this process's stdio (foreground use). */
  inheritOutput?: boolean;
}

export interface RunningS3Server {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startS3Server(options: S3ServerOptions): Promise<RunningS3Server> {
  const args = [SERVER_SCRIPT, '--dir', options.dir, '--port', String(options.port ?? 0), '--address', options.address ?? '127.0.0.1'];
  for (const bucket of options.buckets ?? []) args.push('--bucket', bucket);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--openssl-legacy-provider'].filter(Boolean).join(' ') },
    stdio: ['ignore', 'pipe', options.inheritOutput ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const match = /^listening (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
      else reject(new Error(`S3 server said: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`S3 server exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`)));
  });
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
