// Every command's flags are checked by src/config/flags.ts: one-line usage errors naming the flag.
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { migrateRollbackConfig, migrateStatusConfig, migrateSyncConfig, migrateVerifyConfig, USAGE_ERROR, UserError } from '../../src/config/index.js';
import { idsOrAll, percentage, targetSchema } from '../../src/config/flags.js';

const base = { source: 'mysql://root:s3cret@db:3306/shop', target: 'postgres://app:pw@pg/shop' };

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UserError && error.exitCode === USAGE_ERROR, String(error));
    assert.doesNotMatch(error.message, /s3cret|pw@/);
    return error.message;
  }
  assert.fail('expected a usage error');
}

test('verify and sync: defaults, and one line for each bad value', () => {
  const verify = migrateVerifyConfig({ ...base, tables: 'a, b,,c' }, {});
  assert.deepEqual([verify.schema, verify.tables, verify.exclude, verify.maxDifferences, verify.sourceTimezone], ['public', ['a', 'b', 'c'], undefined, 1000, 'UTC']);
  assert.equal(usageMessage(() => migrateVerifyConfig({ ...base, maxDifferences: '-1' }, {})), '--max-differences must be at least 0');
  const sync = migrateSyncConfig(base, {});
  assert.deepEqual([sync.batchSize, sync.pollMs, sync.flagCacheMs, sync.switchWrites, sync.reverse], [2000, 100, 1000, false, false]);
  const cases: [Record<string, unknown>, string][] = [
    [{ batchSize: 'many' }, '--batch-size must be a whole number'],
    [{ batchSize: '50001' }, '--batch-size must be at most 50000'],
    [{ pollMs: '5' }, '--poll-ms must be at least 10 (milliseconds)'],
    [{ flagCacheMs: '1.5' }, '--flag-cache-ms must be a whole number of milliseconds'],
    [{ switchWrites: true, untilCaughtUp: true }, '--switch-writes drains by itself; it does not go with --until-caught-up'],
    [{ removeCapture: true, reverse: true }, '--remove-capture goes alone'],
    [{ schema: 'pg_catalog' }, '--schema is reserved'],
    [{ schema: 'markethub_migrate' }, '--schema is reserved'],
    [{ schema: 'é'.repeat(32) }, '--schema is longer than 63 bytes'],
    [{ jobs: '0' }, '--jobs must be at least 1'],
    [{ source: undefined }, '--source is required (or set MARKETHUB_SOURCE_URL)'],
  ];
  for (const [change, message] of cases) assert.equal(usageMessage(() => migrateSyncConfig({ ...base, ...change }, {})), message, JSON.stringify(change));
});

test('status and rollback: the target from the flag or DATABASE_URL; rollback parts default to all', () => {
  assert.equal(migrateStatusConfig({}, { DATABASE_URL: base.target }).target.database, 'shop');
  assert.equal(usageMessage(() => migrateStatusConfig({}, {})), '--target is required (or set DATABASE_URL)');
  const all = migrateRollbackConfig({ target: base.target }, {});
  assert.deepEqual([all.urls, all.files, all.db, all.yes], [true, true, true, false]);
  const urls = migrateRollbackConfig({ target: base.target, urls: true, endpoint: 'http://127.0.0.1:4569/' }, {});
  assert.deepEqual([urls.urls, urls.files, urls.db, urls.s3.endpoint], [true, false, false, 'http://127.0.0.1:4569']);
  assert.equal(usageMessage(() => migrateRollbackConfig({ target: base.target, endpoint: 'ftp://x' }, {})), '--endpoint must be an http(s) URL, like http://127.0.0.1:4569');
  assert.equal(usageMessage(() => migrateRollbackConfig({ target: base.target, checksums: 'always' }, {})), '--checksums must be when-supported or when-required');
});

test('arguments: percentages, job ids, schemas', () => {
  assert.equal(percentage('12.5', 'cutover set'), 12.5);
  assert.equal(percentage('100', 'cutover set'), 100);
  for (const bad of ['101', '-1', 'abc', '1.234', '']) assert.equal(usageMessage(() => percentage(bad, 'cutover set')), `cutover set: ${bad} is not a percentage from 0 to 100`);
  assert.deepEqual(idsOrAll(['3', '4'], undefined), ['3', '4']);
  assert.equal(idsOrAll(undefined, true), undefined);
  assert.equal(usageMessage(() => idsOrAll(['3'], true)), 'give --id or --all, not both');
  assert.equal(usageMessage(() => idsOrAll(undefined, undefined)), 'name the jobs with --id N (repeatable) or use --all');
  assert.equal(usageMessage(() => idsOrAll(['x'], undefined)), '--id must be a job number, got "x"');
  assert.equal(targetSchema(undefined, '--schema', []), 'public');
  assert.equal(usageMessage(() => targetSchema('', '--schema', [])), '--schema must not be empty');
});
