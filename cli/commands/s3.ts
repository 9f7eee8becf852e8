// markethub s3 serve: a local S3-compatible server (s3rver) for trying things out.
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { EXIT, UserError } from '../../src/config/errors.js';
import { requiredText, wholeNumber } from '../../src/config/flags.js';
import { action, withCommonOptions } from '../command.js';

/** s3rver is a development dependency: an installed markethub runs against real S3 without it. */
function assertS3rverInstalled(): void {
  try {
    createRequire(import.meta.url).resolve('s3rver');
  } catch {
    throw new UserError('s3 serve needs s3rver, a development dependency: run `npm install` in a clone of markethub, or `npm install --no-save s3rver` where markethub is installed', EXIT.couldNotRun);
  }
}

export function registerS3(program: Command): void {
  const serve = program
    .command('s3')
    .description('a local S3-compatible server for trying things out')
    .command('serve')
    .description('run s3rver on loopback until Ctrl-C (access key and secret: S3RVER)')
    .option('--dir <dir>', 'where objects are stored', '.markethub/s3')
    .option('--port <n>', 'port (0: any free one)', '4569')
    .option('--bucket <name...>', 'buckets to create at start');
  // A server in the foreground: no report to print as JSON.
  withCommonOptions(serve, null).action(
    action({
      parse: (flags) => ({
        dir: requiredText(flags.dir, '--dir', 'must not be empty'),
        port: wholeNumber(flags.port, '--port', { min: 0, max: 65_535, fallback: 4569 }),
        buckets: Array.isArray(flags.bucket) ? flags.bucket.map(String) : [],
      }),
      run: async ({ dir, port, buckets }) => {
        assertS3rverInstalled();
        const { startS3Server } = await import('../../src/s3/server.js');
        const server = await startS3Server({ dir, port, buckets, inheritOutput: true });
        process.stdout.write(`S3 endpoint ${server.endpoint} (objects in ${dir}); Ctrl-C stops it\n`);
        const stop = () => void server.stop().then(() => process.exit(EXIT.ok));
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        await new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
      },
      render: () => ({ text: '', data: {} }),
    }),
  );
}
