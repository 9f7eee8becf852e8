// markethub migrate files: local uploads to S3 with end-to-end checksums, then their URLs rewritten.
import type { Command } from 'commander';
import { EXIT } from '../../src/config/errors.js';
import { migrateFilesConfig } from '../../src/config/files.js';
import { renderFilesTerminal } from '../../src/report/render.js';
import { action, withCommonOptions } from '../command.js';

export function registerMigrateFiles(migrate: Command): void {
  const command = migrate
    .command('files')
    .description('upload the local uploads to S3 with end-to-end checksums, then rewrite their URLs in Postgres')
    .option('--uploads <dir>', 'the uploads root (holding product-images/, user-avatars/, ...)')
    .option('--bucket <name>', 'default bucket (env MARKETHUB_BUCKET)')
    .option('--target <url>', 'migrated Postgres: the manifest and the URL columns (env DATABASE_URL)')
    .option('--schema <name>', 'schema of the URL columns (default: public)')
    .option('--cdn-base <url>', 'public base of the bucket, e.g. https://cdn.markethub.com')
    .option('--no-rewrite', 'upload only; leave the URLs in the database alone')
    .option('--endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:4569 (default: AWS)')
    .option('--region <name>', 'S3 region (default: AWS_REGION or us-east-1)')
    .option('--checksums <mode>', 'optional SDK checksums: when-supported (AWS default) or when-required (default with --endpoint)')
    .option('--concurrency <n>', 'files in flight (default: 16)')
    .option('--multipart-threshold <MiB>', 'files this large or larger go up in parts (default: 128)')
    .option('--config <file.json>', 'folder -> bucket/prefix mapping and URL columns (see README)')
    .option('--dry-run', 'show what would be uploaded and rewritten; change nothing');
  withCommonOptions(command, 'print the report as JSON on stdout, nothing else').action(
    action({
      // Checked without zod: a no-op re-run of this command is timed against per-file tools.
      parse: (flags) => migrateFilesConfig(flags),
      secrets: (c) => [c.target.password],
      run: async (c, context) => {
        const { migrateFiles } = await import('../../src/migrate/files/index.js');
        return migrateFiles(c, await context.ui(), context.interruptible('files already uploaded are kept'));
      },
      render: (report) => ({ text: renderFilesTerminal(report), data: report, exitCode: report.outcome === 'failed' ? EXIT.failed : EXIT.ok }),
    }),
  );
}
