// Every command's exit codes as docs/exit-codes.md lists them, and its --json output: the same top
// level (schemaVersion, ok, command) on success and on failure, failures as JSON on stdout too.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { fromProjectRoot } from '../../src/project-paths.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

// Nothing listens on port 1: a command that connects there fails with "could not run".
const NO_POSTGRES = 'postgres://markethub@127.0.0.1:1/nowhere';
const NO_MYSQL = 'mysql://root@127.0.0.1:1/nowhere';
const NO_S3 = 'http://127.0.0.1:1';
const EXIT = { ok: 0, usage: 2, couldNotRun: 3, differences: 4 };

let source: MysqlDatabase;
let target: PostgresDatabase;
let uploads: string;

beforeAll(async () => {
  source = await freshMysql('exit_codes');
  target = await freshPostgres('exit_codes');
  await source.conn.query('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)');
  await source.conn.query("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
  uploads = await mkdtemp(path.join(os.tmpdir(), 'mh-exit-codes-'));
  await writeFile(path.join(uploads, 'a.jpg'), 'x');
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
  if (uploads) await rm(uploads, { recursive: true, force: true });
});

/** A failure: the exit code, one line on stderr, and with --json the same error as JSON on stdout. */
function assertFailure(result: CliResult, command: string, exitCode: number, errorCode: string, message: RegExp): void {
  const context = `${command}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
  assert.equal(result.code, exitCode, context);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr; ${context}`);
  assert.match(lines[0]!, message, context);
  const json = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(json), ['schemaVersion', 'ok', 'command', 'error'], context);
  assert.deepEqual({ ...json, error: { ...json.error, message: '' } }, { schemaVersion: 1, ok: false, command, error: { code: errorCode, message: '' } }, context);
  assert.equal(`markethub: ${json.error.message}`, lines[0], 'the same message on both streams');
}

const usage = (command: string, args: string[], message: RegExp) => async () => assertFailure(await runCli([...args, '--json']), command, EXIT.usage, 'usage', message);
const unreachable = (command: string, args: string[]) => async () =>
  assertFailure(await runCli([...args, '--json']), command, EXIT.couldNotRun, 'could-not-run', /^markethub: cannot reach .*(connection refused|check --endpoint)/);

// A wrong value is found before anything connects: the unreachable servers in these would exit 3.
const usageCases: [string, string[], RegExp][] = [
  ['migrate check', ['migrate', 'check', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--bucket', 'Bad_Bucket'], /--bucket is not a valid S3 bucket name/],
  ['migrate db', ['migrate', 'db', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--jobs', 'zero'], /--jobs must be a whole number/],
  ['migrate verify', ['migrate', 'verify', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--max-differences', 'all'], /--max-differences must be a whole number/],
  ['migrate files', ['migrate', 'files', '--uploads', '.', '--bucket', 'b-1', '--target', NO_POSTGRES, '--no-rewrite', '--concurrency', '0'], /--concurrency must be at least 1/],
  ['migrate files', ['migrate', 'files', '--uploads', '/nonexistent-mh-uploads', '--bucket', 'b-1', '--target', NO_POSTGRES, '--endpoint', NO_S3, '--no-rewrite'], /--uploads \/nonexistent-mh-uploads not found/],
  ['migrate status', ['migrate', 'status', '--target', NO_MYSQL], /--target must be a postgres:\/\/ URL/],
  ['migrate rollback', ['migrate', 'rollback', '--target', NO_POSTGRES, '--checksums', 'always'], /--checksums must be when-supported or when-required/],
  ['migrate sync', ['migrate', 'sync', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--batch-size', 'many'], /--batch-size must be a whole number/],
  ['migrate check', ['migrate', 'check', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--bucket', 'Not_A_Bucket'], /--bucket is not a valid S3 bucket name/],
  ['cutover status', ['cutover', 'status'], /--target is required \(or set DATABASE_URL\)/],
  ['cutover shadow', ['cutover', 'shadow', 'maybe', '--target', NO_POSTGRES], /^markethub: cutover shadow must be on or off$/],
  ['cutover set', ['cutover', 'set', '101', '--target', NO_POSTGRES], /cutover set: 101 is not a percentage from 0 to 100/],
  ['cutover rollback', ['cutover', 'rollback', '--target', NO_POSTGRES, '--source', 'not a url'], /--source is not a valid URL/],
  ['jobs migrate', ['jobs', 'migrate', '--database', NO_MYSQL], /--database must be a postgres:\/\/ URL/],
  ['jobs dlq list', ['jobs', 'dlq', 'list', '--database', NO_POSTGRES, '--limit', '0'], /--limit must be at least 1/],
  ['jobs dlq retry', ['jobs', 'dlq', 'retry', '--database', NO_POSTGRES], /name the jobs with --id N \(repeatable\) or use --all/],
  ['jobs dlq purge', ['jobs', 'dlq', 'purge', '--database', NO_POSTGRES, '--id', 'seven', '--yes'], /--id must be a job number, got "seven"/],
  ['migrate db', ['migrate', 'db', '--tabels', 'x'], /unknown option '--tabels' \(Did you mean --tables\?\)/],
  ['cutover shadow', ['cutover', 'shadow'], /missing required argument/],
  ['migrate', ['migrate', 'nope'], /unknown command 'nope'/],
];

for (const [command, args, message] of usageCases) {
  test(`${[command, ...args.slice(command.split(' ').length)].join(' ')}: usage error, exit 2, before connecting`, usage(command, args, message));
}

test('s3 serve --port abc: one line, exit 2; it has no JSON output to give', async () => {
  const result = await runCli(['s3', 'serve', '--port', 'abc', '--dir', uploads]);
  assert.equal(result.code, EXIT.usage);
  assert.equal(result.stderr, 'markethub: --port must be a whole number\n');
  assert.equal(result.stdout, '');
  const json = await runCli(['s3', 'serve', '--json']);
  assertFailure(json, 's3 serve', EXIT.usage, 'usage', /unknown option '--json'/);
});

const unreachableCases: [string, string[]][] = [
  ['migrate check', ['migrate', 'check', '--source', NO_MYSQL, '--target', NO_POSTGRES]],
  ['migrate db', ['migrate', 'db', '--source', NO_MYSQL, '--target', NO_POSTGRES]],
  ['migrate verify', ['migrate', 'verify', '--source', NO_MYSQL, '--target', NO_POSTGRES]],
  ['migrate files', ['migrate', 'files', '--uploads', '', '--bucket', 'b-1', '--target', NO_POSTGRES, '--endpoint', NO_S3, '--no-rewrite']],
  ['migrate status', ['migrate', 'status', '--target', NO_POSTGRES]],
  ['migrate rollback', ['migrate', 'rollback', '--target', NO_POSTGRES, '--yes']],
  ['migrate sync', ['migrate', 'sync', '--source', NO_MYSQL, '--target', NO_POSTGRES, '--until-caught-up']],
  ['migrate check', ['migrate', 'check', '--source', NO_MYSQL, '--target', NO_POSTGRES]],
  ['cutover status', ['cutover', 'status', '--target', NO_POSTGRES]],
  ['cutover shadow', ['cutover', 'shadow', 'on', '--target', NO_POSTGRES]],
  ['cutover set', ['cutover', 'set', '10', '--target', NO_POSTGRES]],
  ['cutover rollback', ['cutover', 'rollback', '--target', NO_POSTGRES]],
  ['jobs migrate', ['jobs', 'migrate', '--database', NO_POSTGRES]],
  ['jobs dlq list', ['jobs', 'dlq', 'list', '--database', NO_POSTGRES]],
  ['jobs dlq retry', ['jobs', 'dlq', 'retry', '--database', NO_POSTGRES, '--all']],
  ['jobs dlq purge', ['jobs', 'dlq', 'purge', '--database', NO_POSTGRES, '--all', '--yes']],
];

for (const [command, args] of unreachableCases) {
  test(`${command}: a server it cannot reach is "could not run", exit 3`, async () => {
    await unreachable(command, args.map((a) => (a === '' ? uploads : a)))();
  });
}

test('success: the same top level on every command, durations rounded to milliseconds', async () => {
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--json']);
  assert.equal(migrated.code, EXIT.ok, migrated.stderr);
  const report = JSON.parse(migrated.stdout);
  assert.deepEqual(Object.keys(report).slice(0, 3), ['schemaVersion', 'ok', 'command']);
  assert.deepEqual([report.schemaVersion, report.ok, report.command, report.outcome], [1, true, 'migrate db', 'success']);
  const durations = [...migrated.stdout.matchAll(/"(\w*[sS]econds)": (-?[\d.e-]+)/g)];
  assert.ok(durations.length > 3, 'the report has timings');
  for (const [, key, value] of durations) assert.match(value!, /^\d+(\.\d{1,3})?$/, `${key} ${value} rounded to the millisecond`);

  for (const [command, args] of [
    ['migrate status', ['migrate', 'status', '--target', target.url]],
    ['cutover status', ['cutover', 'status', '--target', target.url]],
    ['cutover set', ['cutover', 'set', '0', '--target', target.url]],
    ['jobs migrate', ['jobs', 'migrate', '--database', target.url]],
    ['jobs dlq list', ['jobs', 'dlq', 'list', '--database', target.url]],
  ] as const) {
    const result = await runCli([...args, '--json']);
    assert.equal(result.code, EXIT.ok, `${command}: ${result.stderr}`);
    const json = JSON.parse(result.stdout);
    assert.deepEqual([json.schemaVersion, json.ok, json.command], [1, true, command], command);
    assert.equal(json.error, undefined);
  }
  const listed = JSON.parse((await runCli(['jobs', 'dlq', 'list', '--database', target.url, '--json'])).stdout);
  assert.deepEqual(listed.deadLetters, []);
});

test('migrate verify: differences found is exit 4 with the full report, ok false and no error', async () => {
  const migrated = await runCli(['migrate', 'db', '--source', source.url, '--target', target.url, '--schema', 'differs', '--json']);
  assert.equal(migrated.code, EXIT.ok, migrated.stderr);
  const verify = () => runCli(['migrate', 'verify', '--source', source.url, '--target', target.url, '--schema', 'differs', '--json']);
  const parity = await verify();
  assert.equal(parity.code, EXIT.ok, parity.stdout);
  assert.equal(JSON.parse(parity.stdout).ok, true);
  await target.client.query("UPDATE differs.items SET name = 'changed' WHERE id = 2");
  const differs = await verify();
  assert.equal(differs.code, EXIT.differences, differs.stderr);
  assert.equal(differs.stderr, '');
  const report = JSON.parse(differs.stdout);
  assert.deepEqual([report.schemaVersion, report.ok, report.command, report.error], [1, false, 'migrate verify', undefined]);
  assert.deepEqual(report.differences.map((d: { key: Record<string, string>; kind: string }) => [d.key, d.kind]), [[{ id: '2' }, 'changed']]);
});

test('--version and -V print the package version', async () => {
  const { version } = JSON.parse(await readFile(fromProjectRoot('package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag]);
    assert.equal(result.code, EXIT.ok);
    assert.equal(result.stdout, `${version}\n`);
  }
});
